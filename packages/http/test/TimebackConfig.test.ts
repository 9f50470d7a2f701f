import { describe, expect, it } from "@effect/vitest"
import { TimebackConfig } from "@timeback/http"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { readFileSync } from "node:fs"

const fromEnv = (env: Record<string, string>) =>
  Effect.flatMap(TimebackConfig.TimebackConfig, Effect.succeed).pipe(
    Effect.provide(TimebackConfig.layerConfig()),
    Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env: env }))
  )

const credentials = { TIMEBACK_CLIENT_ID: "id", TIMEBACK_CLIENT_SECRET: "s3cret-value" }

describe("TimebackConfig", () => {
  it.effect("reads the environment: staging by default, with the secret redacted", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv(credentials)
      expect(config).toMatchObject({
        clientId: "id",
        baseUrl: "https://api.staging.alpha-1edtech.ai",
        tokenUrl: "https://staging-beyond-timeback-api-2-idp.auth.us-east-1.amazoncognito.com/oauth2/token",
        clientAuthentication: "form",
        maxAttempts: 3
      })
      expect(Redacted.isRedacted(config.clientSecret)).toBe(true)
      expect(Redacted.value(config.clientSecret)).toBe("s3cret-value")
      expect(JSON.stringify(config)).not.toContain("s3cret-value")
      expect(Duration.toMillis(config.attemptTimeout)).toBe(10_000)
    }))

  it.effect("production, and URL overrides (trailing slash dropped)", () =>
    Effect.gen(function*() {
      expect((yield* fromEnv({ ...credentials, TIMEBACK_ENVIRONMENT: "production" })).baseUrl).toBe(
        "https://api.alpha-1edtech.ai"
      )
      const overridden = yield* fromEnv({
        ...credentials,
        TIMEBACK_BASE_URL: "http://127.0.0.1:8080/",
        TIMEBACK_TOKEN_URL: "https://idp.example.com/oauth2/token"
      })
      expect([overridden.baseUrl, overridden.tokenUrl]).toStrictEqual([
        "http://127.0.0.1:8080",
        "https://idp.example.com/oauth2/token"
      ])
    }))

  it.effect.each([
    [{ TIMEBACK_CLIENT_SECRET: "x" }, "TIMEBACK_CLIENT_ID"],
    [{ TIMEBACK_CLIENT_ID: "x" }, "TIMEBACK_CLIENT_SECRET"],
    [{ ...credentials, TIMEBACK_ENVIRONMENT: "prod" }, "TIMEBACK_ENVIRONMENT"],
    [{ ...credentials, TIMEBACK_BASE_URL: "not a url" }, "TIMEBACK_BASE_URL"],
    [{ ...credentials, TIMEBACK_BASE_URL: "http://api.alpha-1edtech.ai" }, "TIMEBACK_BASE_URL"],
    [{ ...credentials, TIMEBACK_TOKEN_URL: "ftp://idp/token" }, "TIMEBACK_TOKEN_URL"]
  ] as Array<[Record<string, string>, string]>)(
    "a missing or malformed variable fails naming it (%j)",
    ([env, name]) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(fromEnv(env))
        expect(String(error)).toContain(name)
        expect(String(error)).not.toContain("s3cret-value")
      })
  )

  it.effect("refuses plain http except on loopback hosts", () =>
    Effect.gen(function*() {
      const make = (baseUrl: string) =>
        TimebackConfig.make({ clientId: "id", clientSecret: Redacted.make("s"), baseUrl })
      for (const ok of ["http://localhost:3000", "http://127.0.0.1:1", "http://[::1]:8080", "https://example.com"]) {
        expect((yield* make(ok)).baseUrl).toBe(ok)
      }
      const refused = yield* Effect.flip(make("http://10.0.0.5"))
      expect(String(refused)).toContain("baseUrl")
      expect(String(refused)).toContain("Refusing plain http for 10.0.0.5")
    }))

  it.effect("validates programmatic tuning, naming the option", () =>
    Effect.gen(function*() {
      const base = { clientId: "id", clientSecret: Redacted.make("s") }
      expect(String(yield* Effect.flip(TimebackConfig.make({ ...base, maxAttempts: 0 })))).toContain("maxAttempts")
      expect(String(yield* Effect.flip(TimebackConfig.make({ ...base, attemptTimeout: "0 millis" })))).toContain(
        "attemptTimeout"
      )
      expect(String(yield* Effect.flip(TimebackConfig.make({ ...base, clientSecret: Redacted.make("") })))).toContain(
        "clientSecret"
      )
    }))

  it.effect.each([
    [{ TIMEBACK_CLIENT_ID: "x" }, "TIMEBACK_CLIENT_SECRET is not set"],
    // an empty variable is one that is not set (as the environment's config provider reads it)
    [{ TIMEBACK_CLIENT_ID: "x", TIMEBACK_CLIENT_SECRET: "" }, "TIMEBACK_CLIENT_SECRET is not set"],
    [{ TIMEBACK_CLIENT_ID: "x", TIMEBACK_CLIENT_SECRET: "  " }, "TIMEBACK_CLIENT_SECRET: Expected a non-empty string"],
    [{ ...credentials, TIMEBACK_BASE_URL: "ftp://x" }, "TIMEBACK_BASE_URL: Expected an https URL, got \"ftp://x\""],
    [{}, "TIMEBACK_CLIENT_ID is not set; TIMEBACK_CLIENT_SECRET is not set"]
  ] as Array<[Record<string, string>, string]>)(
    "the message names the variable once and says what is wrong (%j)",
    ([env, message]) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(fromEnv(env))
        expect(TimebackConfig.describe(error)).toBe(message)
        expect(String(error)).not.toContain("<redacted>")
      })
  )

  it.effect("a key that is not an option is refused, with the option it was likely meant to be", () =>
    Effect.gen(function*() {
      const base = { clientId: "id", clientSecret: Redacted.make("s") }
      const typo = yield* Effect.flip(TimebackConfig.make({ ...base, maxAttempt: 3 } as never))
      expect(TimebackConfig.describe(typo)).toBe("maxAttempt: not an option; did you mean maxAttempts?")
      const two = yield* Effect.flip(TimebackConfig.make({ ...base, basUrl: "x", tokenURL: "y" } as never))
      expect(TimebackConfig.describe(two)).toBe(
        "basUrl: not an option; did you mean baseUrl?; tokenURL: not an option; did you mean tokenUrl?"
      )
    }))

  it.effect("the User-Agent: the application's product token first, then the SDK's and the runtime's", () =>
    Effect.gen(function*() {
      const base = { clientId: "id", clientSecret: Redacted.make("s") }
      const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
        version: string
      }
      expect((yield* TimebackConfig.make(base)).userAgent).toBe(
        `timeback-http/${version} node/${process.versions.node}`
      )
      expect((yield* TimebackConfig.make({ ...base, userAgent: "grade-sync/2.1" })).userAgent)
        .toBe(`grade-sync/2.1 timeback-http/${version} node/${process.versions.node}`)
      for (const bad of ["", "grade sync\r\nX-Evil: 1", "grade-sync/2.1\n", "a//b"]) {
        const error = String(yield* Effect.flip(TimebackConfig.make({ ...base, userAgent: bad })))
        expect(error).toContain("userAgent")
      }
    }))
})
