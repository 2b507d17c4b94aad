/**
 * Functions given to page.evaluate/waitForFunction run in the page; the test tsconfig has no DOM lib, so the page
 * globals they use are typed here, loosely, and each spec declares the globals it reads with these types.
 */
export interface PageElement {
  id: string;
  className: string;
  textContent: string | null;
  closest(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
}

export interface PageDocument {
  cookie: string;
  activeElement: PageElement | null;
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
}
