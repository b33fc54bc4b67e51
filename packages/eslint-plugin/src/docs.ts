/**
 * Where each rule is documented: a section of packages/eslint-plugin/README.md, as a file URL of this checkout
 * (editors open it; a fork needs no edit). The anchor is GitHub's slug of the heading `lambda/<rule>`.
 */
export function docsUrl(rule: string): string {
  return new URL(`../README.md#lambda${rule}`, import.meta.url).href;
}

/** The fields every Lambda rule's `meta.docs` carries. */
export function docs(rule: string, description: string): { description: string; url: string; recommended: true } {
  return { description, url: docsUrl(rule), recommended: true };
}
