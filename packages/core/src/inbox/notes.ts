import { randomBytes } from 'node:crypto';
import { findConversation, type InboxDeps } from './conversations.js';

/** Private notes the team keeps on a conversation: sealed, with their author; never sent. */

export interface NoteView {
  id: string;
  text: string;
  authorId: string;
  createdAt: string;
}

export async function addNote(
  deps: InboxDeps,
  tenantId: string,
  conversationId: string,
  authorId: string,
  text: string,
): Promise<NoteView> {
  await findConversation(deps.store, tenantId, conversationId);
  const keys = await deps.keyring.forTenant(tenantId);
  const noteId = `nt_${randomBytes(12).toString('base64url')}`;
  const createdAt = Date.now();
  await deps.store.entities.note
    .create({
      tenantId,
      conversationId,
      noteId,
      authorId,
      createdAt,
      text: keys.seal('note', 'text', noteId, text),
    })
    .go();
  return { id: noteId, text, authorId, createdAt: new Date(createdAt).toISOString() };
}

/** Every note of a conversation, oldest first (a conversation carries a handful). */
export async function listNotes(deps: InboxDeps, tenantId: string, conversationId: string): Promise<NoteView[]> {
  await findConversation(deps.store, tenantId, conversationId);
  const keys = await deps.keyring.forTenant(tenantId);
  const { data } = await deps.store.entities.note.query
    .byConversation({ tenantId, conversationId })
    .go({ pages: 'all' });
  return data.map((note) => ({
    id: note.noteId,
    text: keys.open('note', 'text', note.noteId, note.text),
    authorId: note.authorId,
    createdAt: new Date(note.createdAt).toISOString(),
  }));
}
