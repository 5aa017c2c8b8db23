/**
 * The command registry: verb → definition + its handler wrapped in the policy layers.
 *
 * Owns: merging the built-in verbs with the user's definitions (same verb = override), the SITE
 * subcommand table, disabled verbs (502), and composing each handler with the policy layers once,
 * at construction, so dispatch is one Map lookup.
 */

import { compose, DEFAULT_LAYERS, type Handler, type Layer } from '../policy/layers.js';
import type { CommandDefinition, CommandRegistryView, SiteCommandDefinition } from './types.js';

export interface RegistryEntry {
  readonly definition: CommandDefinition;
  readonly handler: Handler;
  /** False for `disabledCommands`: the handler answers 502. */
  readonly enabled: boolean;
}

export class CommandRegistry implements CommandRegistryView {
  readonly #entries = new Map<string, RegistryEntry>();
  readonly #site = new Map<string, SiteCommandDefinition>();
  readonly verbs: readonly string[];
  readonly siteNames: readonly string[];

  constructor(
    definitions: readonly CommandDefinition[],
    siteCommands: readonly SiteCommandDefinition[],
    disabled: ReadonlySet<string> = new Set(),
    layers: readonly Layer[] = DEFAULT_LAYERS,
  ) {
    const byVerb = new Map<string, CommandDefinition>();
    for (const definition of definitions) byVerb.set(definition.verb.toUpperCase(), definition);
    for (const [verb, definition] of byVerb) {
      const enabled = !disabled.has(verb);
      const handler: Handler = enabled
        ? compose(definition, layers)
        : async (ctx) => {
            await ctx.reply(502, `${verb} not implemented.`);
          };
      this.#entries.set(verb, { definition, handler, enabled });
    }
    for (const site of siteCommands) this.#site.set(site.name.toUpperCase(), site);
    this.verbs = [...this.#entries.keys()].filter((v) => this.#entries.get(v)!.enabled);
    this.siteNames = [...this.#site.keys()];
  }

  lookup(verb: string): RegistryEntry | undefined {
    return this.#entries.get(verb.toUpperCase());
  }

  get(verb: string): CommandDefinition | undefined {
    return this.#entries.get(verb.toUpperCase())?.definition;
  }

  site(name: string): SiteCommandDefinition | undefined {
    return this.#site.get(name.toUpperCase());
  }

  isEnabled(verb: string): boolean {
    return this.#entries.get(verb.toUpperCase())?.enabled === true;
  }
}
