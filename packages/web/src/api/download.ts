import { ApiError, refreshAccessToken, tokens } from './client';

/**
 * Saves a file the API answers (`path` under `/api`) as `filename`: fetched with the session's
 * token (the request helper reads JSON only), once more after a refresh when the token lapsed.
 */
export async function downloadFile(path: string, filename: string, accept: string, type = accept): Promise<void> {
  const call = () =>
    fetch(`/api${path}`, {
      headers: { accept, ...(tokens.get() && { authorization: `Bearer ${tokens.get()}` }) },
      credentials: 'same-origin',
    });
  let response = await call();
  if (response.status === 401 && (await refreshAccessToken())) response = await call();
  if (!response.ok) throw new ApiError(response.status, `http_${response.status}`, response.statusText);
  const blob = await response.blob();
  const url = URL.createObjectURL(new Blob([blob], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves a CSV the API answers as `filename`. */
export function downloadCsv(path: string, filename: string): Promise<void> {
  return downloadFile(path, filename, 'text/csv', 'text/csv;charset=utf-8');
}

/** Saves a PDF the API answers as `filename`. */
export function downloadPdf(path: string, filename: string): Promise<void> {
  return downloadFile(path, filename, 'application/pdf');
}
