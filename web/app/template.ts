// fill puts a template's parameters into its {{1}}, {{2}}… placeholders; an empty one stays as is.
export function fill(body: string, params: string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (m, n: string) => params[Number(n) - 1] || m);
}
