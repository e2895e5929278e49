/** Commander argument parsers shared by `local` and the ops commands. */
import { InvalidArgumentError } from "commander";

/** A whole number from `min` to `max`; anything else is a usage error naming the range. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
    return n;
  };
}
