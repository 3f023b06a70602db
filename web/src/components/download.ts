/** Saves text (or bytes) as a file through a temporary object URL (the private key is shown only once). */
export function downloadText(filename: string, text: string | Uint8Array<ArrayBuffer>, type = 'application/x-pem-file'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
