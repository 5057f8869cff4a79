/**
 * The one way an operation is called from outside (IPC or HTTP): parse the input from
 * unknown with the operation's zod schema, run the handler, return the result union.
 */
import {
  OP_NAMES,
  parseInput,
  runHandler,
  type OpName,
  type OpOutput,
  type OpParsed,
  type Result,
  type Services,
} from '@shared/contract';

export function isOpName(name: string): name is OpName {
  return (OP_NAMES as readonly string[]).includes(name);
}

export async function dispatch<K extends OpName>(
  services: Services,
  op: K,
  raw: unknown,
): Promise<Result<OpOutput<K>>> {
  const input = parseInput(op, raw);
  if (!input.ok) return input;
  const handler = services[op] as (input: OpParsed<K>) => Promise<OpOutput<K>> | OpOutput<K>;
  return runHandler(() => handler(input.value));
}
