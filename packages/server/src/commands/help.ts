/** HELP (RFC 959 §4.1.3): 214 with the verbs this server answers, or one verb's syntax; 501 for unknown topics. */
import { type CommandOf, getCommandSpec } from '@ftpkit/codec';
import { defineCommand } from './types.js';

export const HELP = defineCommand<CommandOf<'HELP'>>({
  verb: 'HELP',
  login: false,
  tlsExempt: true,
  async handle(ctx, command) {
    const registry = ctx.internals.registry;
    if (command.topic === undefined) {
      const verbs = [...registry.verbs].sort();
      const rows: string[] = [];
      for (let i = 0; i < verbs.length; i += 8)
        rows.push(
          ` ${verbs
            .slice(i, i + 8)
            .map((v) => v.padEnd(5))
            .join(' ')}`,
        );
      await ctx.reply(214, ['The following commands are recognized.', ...rows, 'Help OK.']);
      return;
    }
    const topic = command.topic.trim().toUpperCase();
    const spec = getCommandSpec(topic);
    const canonical = spec?.aliasOf ?? topic;
    const definition = registry.isEnabled(canonical) ? registry.get(canonical) : undefined;
    if (definition === undefined) {
      await ctx.reply(501, 'Unknown command.');
      return;
    }
    await ctx.reply(
      214,
      spec === undefined
        ? `${topic}: ${definition.help ?? 'no help available.'}`
        : `Syntax: ${spec.syntax} — ${spec.summary}`,
    );
  },
});
