/** The diagram in src/session/STATE-MACHINE.md and the transition table must agree exactly. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nextState, SESSION_STATES, SESSION_TRANSITIONS } from '../src/session/state.ts';

const diagram = readFileSync(new URL('../src/session/STATE-MACHINE.md', import.meta.url), 'utf8');

function diagramTransitions(): string[] {
  const out: string[] = [];
  for (const match of diagram.matchAll(/^\s+(\w+) --> (\w+): ([\w-]+)$/gm)) {
    const [, from, to, event] = match;
    out.push(`${from!.replace(/_/g, '-')} -${event}-> ${to!.replace(/_/g, '-')}`);
  }
  return out.sort();
}

function tableTransitions(): string[] {
  const out: string[] = [];
  for (const [from, events] of Object.entries(SESSION_TRANSITIONS)) {
    for (const [event, to] of Object.entries(events)) out.push(`${from} -${event}-> ${to}`);
  }
  return out.sort();
}

describe('session state machine', () => {
  it('the diagram lists exactly the transitions of SESSION_TRANSITIONS', () => {
    expect(diagramTransitions()).toEqual(tableTransitions());
    expect(tableTransitions().length).toBeGreaterThan(20);
  });

  it('every state appears in the diagram; the table has a row per state', () => {
    for (const state of SESSION_STATES) expect(diagram).toContain(state.replace(/-/g, '_'));
    expect(Object.keys(SESSION_TRANSITIONS).sort()).toEqual([...SESSION_STATES].sort());
  });

  it('illegal transitions are refused', () => {
    expect(nextState('awaiting-user', 'login')).toBeUndefined();
    expect(nextState('transferring', 'rnfr')).toBeUndefined();
    expect(nextState('awaiting-password', 'login')).toBe('ready');
  });
});
