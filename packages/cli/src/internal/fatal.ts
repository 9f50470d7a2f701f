import * as Data from "effect/Data"

/** A failure that ends the command: one line for a person, exit code 1. */
export class Fatal extends Data.TaggedError("Fatal")<{ readonly message: string }> {}
