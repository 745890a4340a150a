// What a single GraphQL request may ask for: document size and shape (graphql-armor), batch size, and CSRF.
// The cost limit is ours (src/graphql/cost.ts, MAX_QUERY_COST), not armor's: armor counts every field, times
// only a literal `first`, so a 200 × 25 nested page selecting 15 fields a row (cost 5,200 by our rule) came
// out at 114,400 and was refused, while a `first` given as a variable counted 1.
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** The limits, fixed and documented (docs/guarantees-limits.md); generous for every legitimate query of the contract. */
export const LIMITS = {
  depth: 12,
  aliases: 20,
  tokens: 3000,
  directives: 50,
  batch: 10,
} as const;

/** Depth, alias, token and directive limits; field suggestions are hidden when introspection is off. */
export function armorPlugins(introspection: boolean): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: { n: LIMITS.depth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: LIMITS.aliases },
    maxTokens: { n: LIMITS.tokens },
    maxDirectives: { n: LIMITS.directives },
    // On by default in armor: off, as src/graphql/cost.ts limits cost.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !introspection },
  });
  return armor.protect().plugins as Plugin[];
}

/** Headers a browser cannot send cross-origin without a CORS preflight; any one of them proves a deliberate call. */
export const PREFLIGHT_HEADERS = ['graphql-require-preflight', 'x-graphql-yoga-csrf', 'apollo-require-preflight'];

const preflightCheck = useCSRFPrevention({ requestHeaders: PREFLIGHT_HEADERS });

/**
 * Refuses GraphQL over GET and form posts unless a preflight header or a non-form content type shows intent.
 * The check is yoga's; its refusal (a 403 with no code) is answered as docs/guarantees-limits.md promises: 400 CSRF_PREVENTED.
 */
export const csrfPrevention: Plugin = {
  async onRequestParse(payload) {
    try {
      await preflightCheck.onRequestParse?.(payload);
    } catch {
      throw createGraphQLError(
        `This request was refused as a possible cross-site request forgery: send it as a POST with Content-Type: application/json, or add the header '${PREFLIGHT_HEADERS[0]}: 1'`,
        { extensions: { code: 'CSRF_PREVENTED', http: { status: 400 } } },
      );
    }
  },
};
