import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { InvoiceItem } from './invoices.js';

/**
 * An invoice as a PDF, made on the server. pdfkit is loaded on first use (a dynamic import), so
 * the API's cold start does not pay for it. The font is DejaVu Sans (it has every Turkish
 * letter), read from the `dejavu-fonts-ttf` package, or from `fonts/` beside a bundled function
 * (the stack copies it there): nothing is downloaded at run time. pdfkit's built-in fonts are
 * never used (their metrics are files a bundle does not carry).
 */

export const INVOICE_FONT_FILE = 'DejaVuSans.ttf';

let font: Buffer | undefined;
function fontBytes(): Buffer {
  if (font) return font;
  const beside = join(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), 'fonts', INVOICE_FONT_FILE);
  const path = existsSync(beside)
    ? beside
    : createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${INVOICE_FONT_FILE}`);
  font = readFileSync(path);
  return font;
}

const WORDS = {
  title: 'FATURA / INVOICE',
  number: 'Fatura no / Invoice no',
  date: 'Tarih / Date',
  seller: 'Satıcı / Seller',
  buyer: 'Alıcı / Buyer',
  taxOffice: 'Vergi dairesi / Tax office',
  taxNumber: 'Vergi no / Tax number',
  item: 'Hizmet / Service',
  period: 'Dönem / Period',
  net: 'Tutar (KDV hariç) / Amount excl. VAT',
  vat: 'KDV / VAT',
  total: 'Toplam (KDV dahil) / Total incl. VAT',
  payment: 'Ödeme / Payment',
  status: { paid: 'Ödendi / Paid', refunded: 'İade edildi / Refunded' },
  plan: (planId: string) =>
    `Asistone ${planId[0]?.toUpperCase()}${planId.slice(1)} aylık abonelik / monthly subscription`,
} as const;

const day = (ms: number) => {
  const date = new Date(ms + 3 * 3600_000);
  return `${String(date.getUTCDate()).padStart(2, '0')}.${String(date.getUTCMonth() + 1).padStart(2, '0')}.${date.getUTCFullYear()}`;
};

/** `1499.00` minus `249.83`, exactly, in cents. */
function minus(total: string, vat: string): string {
  const cents = (value: string) => BigInt(value.replace('.', ''));
  const net = cents(total) - cents(vat);
  const text = net.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** The invoice's PDF, with its number, the seller and buyer, the plan, period and amounts. */
export async function invoicePdf(invoice: InvoiceItem): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    font: fontBytes() as unknown as string,
    info: { Title: `${invoice.number}`, Author: invoice.seller.name, Subject: WORDS.title },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.fontSize(20).text(WORDS.title);
  doc.moveDown(0.5).fontSize(11);
  doc.text(`${WORDS.number}: ${invoice.number}`);
  doc.text(`${WORDS.date}: ${day(invoice.issuedAt)}`);
  doc.moveDown();
  doc.fontSize(12).text(WORDS.seller).fontSize(10);
  doc.text(invoice.seller.name);
  doc.text(invoice.seller.address);
  if (invoice.seller.taxOffice) doc.text(`${WORDS.taxOffice}: ${invoice.seller.taxOffice}`);
  if (invoice.seller.taxNumber) doc.text(`${WORDS.taxNumber}: ${invoice.seller.taxNumber}`);
  doc.moveDown();
  doc.fontSize(12).text(WORDS.buyer).fontSize(10);
  doc.text(invoice.buyerName);
  doc.moveDown();
  doc.fontSize(12).text(WORDS.item).fontSize(10);
  doc.text(WORDS.plan(invoice.planId));
  doc.text(`${WORDS.period}: ${day(invoice.periodStart)} – ${day(invoice.periodEnd)}`);
  doc.moveDown();
  doc.text(`${WORDS.net}: ${minus(invoice.total, invoice.vat)} ${invoice.currency}`);
  doc.text(`${WORDS.vat} (${invoice.vatRate}): ${invoice.vat} ${invoice.currency}`);
  doc.fontSize(12).text(`${WORDS.total}: ${invoice.total} ${invoice.currency}`).fontSize(10);
  doc.moveDown();
  doc.text(`${WORDS.payment}: iyzico, ${invoice.orderRef}`);
  doc.text(WORDS.status[invoice.status]);
  doc.end();
  return done;
}
