// A readable page generated from the OpenAPI document: plain HTML, no scripts, nothing fetched.
import { openApiDocument } from './openapi.js';

const escapeHtml = (text: unknown) => String(text ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

interface Parameter {
  name: string;
  in: string;
  description?: string;
  required?: boolean;
  schema?: { type?: string; enum?: string[]; default?: unknown; items?: unknown };
}

function resolve(p: Parameter | { $ref: string }): Parameter {
  if ('$ref' in p) return (openApiDocument.components.parameters as Record<string, Parameter>)[p.$ref.split('/').pop()!];
  return p;
}

function schemaName(content: unknown): string {
  const schema = (content as { 'application/json'?: { schema?: { $ref?: string } } } | undefined)?.['application/json']?.schema;
  return schema?.$ref ? schema.$ref.split('/').pop()! : '';
}

function operation(
  pathName: string,
  method: string,
  op: {
    summary: string;
    parameters?: (Parameter | { $ref: string })[];
    responses: Record<string, { description: string; content?: unknown }>;
    requestBody?: { content?: unknown };
  },
): string {
  const params = (op.parameters ?? []).map(resolve);
  const rows = params
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}${p.required ? ' (required)' : ''}</td><td>${escapeHtml(p.schema?.enum?.join(' | ') ?? p.schema?.type ?? '')}</td><td>${escapeHtml(p.description)}</td></tr>`,
    )
    .join('');
  const body = op.requestBody ? `<p>Body: <a href="#schema-${schemaName(op.requestBody.content)}">${escapeHtml(schemaName(op.requestBody.content))}</a></p>` : '';
  const responses = Object.entries(op.responses)
    .map(([status, r]) => {
      const name = schemaName(r.content);
      return `<li><b>${escapeHtml(status)}</b> ${escapeHtml(r.description)}${name ? ` — <a href="#schema-${name}">${name}</a>` : ''}</li>`;
    })
    .join('');
  return `<section><h3><span class="m">${method.toUpperCase()}</span> <code>${escapeHtml(pathName)}</code></h3><p>${escapeHtml(op.summary)}</p>${
    rows ? `<table><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr>${rows}</table>` : ''
  }${body}<ul>${responses}</ul></section>`;
}

export function renderDocs(): string {
  const doc = openApiDocument;
  const operations = Object.entries(doc.paths)
    .flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => operation(p, m, op as Parameters<typeof operation>[2])))
    .join('\n');
  const schemas = Object.entries(doc.components.schemas ?? {})
    .map(([name, schema]) => `<section id="schema-${name}"><h3>${name}</h3><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></section>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}.m{background:#234;color:#fff;padding:0 .4rem;border-radius:3px}pre{background:#f5f5f5;padding:.5rem;overflow:auto}</style>
</head><body><h1>${escapeHtml(doc.info.title)}</h1><p>${escapeHtml(doc.info.description)}</p>
<p>Base paths: ${doc.servers.map((s) => `<code>${escapeHtml(s.url)}</code>`).join(' and ')}. Machine-readable: <a href="openapi.json">openapi.json</a>.</p>
<h2>Operations</h2>${operations}<h2>Schemas</h2>${schemas}</body></html>`;
}
