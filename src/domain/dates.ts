// Built once: toLocaleDateString with options builds a new formatter on every call, which cost more
// than the rest of a Confluence page's serialization together (the 1M-relation benchmark, whose likes are days old).
const CALENDAR = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A human reading of how long ago something happened, as Confluence's `friendlyCreatedDate`. */
export function friendlyDate(date: Date, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - date.getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
  const days = Math.floor(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return CALENDAR.format(date);
}
