// GraphiQL served from the gateway itself: its script, styles and editor workers come from
// @graphql-yoga/render-graphiql inside the page, so it works with no internet access.
import type { GraphiQLOptions } from 'graphql-yoga';

/** The README's example query (section "GraphQL"); a test keeps the two the same. */
export const EXAMPLE_QUERY = `query Example {
  relationsFrom(name: "favourite", source: {type: USER, key: "current"}, targetType: CONTENT, first: 25) {
    totalCount
    nodes {
      name
      target { ... on Content { id title space { key }
        watchers: relationsTo(name: "watch", sourceType: USER, first: 5) { nodes { source { ... on User { displayName } } } } } }
      relationData { createdBy { displayName } friendlyCreatedDate }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

export const EXAMPLE = `# Replace <token> in the Headers tab below with the admin token printed at first start;
# the Docs explorer then loads the schema (introspection needs a token too).
# Then run this: the demo data's favourite pages of the current user, and who watches each of them.
${EXAMPLE_QUERY}`;

/** The Headers tab's template. */
export const HEADERS_TEMPLATE = JSON.stringify({ Authorization: 'Bearer <token>' }, null, 2);

export const graphiqlOptions: GraphiQLOptions = { defaultQuery: EXAMPLE, headers: HEADERS_TEMPLATE, title: 'relation-gateway' };

// GraphiQL fetches the schema once, when the page opens, and not when the headers change; its own
// "re-fetch schema" shortcut (Shift-Ctrl-R) is pressed for the user shortly after they edit the headers.
const REFETCH_SCHEMA_ON_HEADER_EDIT = `function () {
  clearTimeout(window.__refetchSchema);
  window.__refetchSchema = setTimeout(function () {
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'R', ctrlKey: true, shiftKey: true }));
  }, 400);
}`;

/** JSON inside a <script>: `<` escaped so no string in it can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

let page: Promise<string> | undefined;

/**
 * The page, built on first use and kept: the bundle is about 9 MB of JavaScript, loaded only when
 * someone opens GraphiQL, so a server nobody browses neither parses nor holds it.
 */
export function renderGraphiQL(options: GraphiQLOptions): Promise<string> {
  return (page ??= import('@graphql-yoga/render-graphiql/graphiql').then(
    ({ css, editorWorkerService, favicon, graphqlWorker, js, jsonWorker }) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${options.title ?? 'GraphiQL'}</title>
    <link rel="icon" href="${favicon}" />
    <style>${css}</style>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script>
      function workerUrl(source) {
        return URL.createObjectURL(new Blob([source], { type: 'application/javascript' }));
      }
      const workers = {
        editorWorkerService: workerUrl(${scriptJson(editorWorkerService)}),
        json: workerUrl(${scriptJson(jsonWorker)}),
        graphql: workerUrl(${scriptJson(graphqlWorker)}),
      };
      self['MonacoEnvironment'] = { globalAPI: false, getWorkerUrl: function (moduleId, label) { return workers[label]; } };
      ${js};
      const options = ${scriptJson(options)};
      options.onEditHeaders = ${REFETCH_SCHEMA_ON_HEADER_EDIT};
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), options);
    </script>
  </body>
</html>
`,
  ));
}
