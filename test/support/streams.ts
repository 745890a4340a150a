// GraphQL answers as a client reads them, whatever the Accept header chose: JSON, SSE events or multipart parts.

/** The JSON documents a streamed GraphQL answer carries: SSE `next` events, or multipart/mixed parts. */
export function streamedResults(text: string, contentType: string): any[] | undefined {
  if (contentType.startsWith('text/event-stream')) {
    return text
      .split('\n\n')
      .filter((event) => /^event: next$/m.test(event))
      .map((event) => JSON.parse(/^data: (.*)$/m.exec(event)![1]));
  }
  if (contentType.startsWith('multipart/mixed')) {
    return text.split('\r\n---').flatMap((part) => {
      const at = part.indexOf('\r\n\r\n');
      return at < 0 ? [] : [JSON.parse(part.slice(at + 4))];
    });
  }
  return undefined;
}

/** Every GraphQL result of an answer: the streamed ones, or the one JSON body. */
export async function graphqlResults(response: Response): Promise<any[]> {
  const text = await response.text();
  return streamedResults(text, response.headers.get('content-type') ?? '') ?? [JSON.parse(text)];
}
