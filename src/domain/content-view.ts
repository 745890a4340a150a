// Content as every face shows it: its latest state, or the version a relation end (or a request) pinned.
import type { Content, ContentVersion } from '../generated/prisma/client.js';

export interface ContentView {
  content: Content;
  /** The version a relation end or a request pinned; null shows the latest state. */
  pinned: ContentVersion | null;
}

/** A pinned version shows its own title and status; `historical` says a later version superseded it. */
export function contentAsShown({ content, pinned }: ContentView): { title: string; status: string; historical: boolean } {
  return {
    title: pinned?.title ?? content.title,
    status: pinned?.status ?? content.status,
    historical: pinned !== null && pinned.number < content.version,
  };
}
