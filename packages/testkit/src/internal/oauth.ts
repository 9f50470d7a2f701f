/** The fake server's OAuth2 token endpoint (client credentials) and its table of issued tokens. */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"

const oauthError = (status: number, error: string, description: string) =>
  HttpServerResponse.jsonUnsafe({ error, error_description: description }, {
    status,
    headers: { "cache-control": "no-store" }
  })

export const make = (options: {
  readonly clientId: string
  readonly clientSecret: string
  readonly tokenLifetimeSeconds: number
}) => {
  let lifetime = options.tokenLifetimeSeconds
  const tokens = new Map<string, number>()
  const issued: Array<string> = []

  /** `POST /oauth2/token`: form or HTTP Basic credentials, `grant_type=client_credentials`. */
  const endpoint = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const form = new URLSearchParams(yield* Effect.orElseSucceed(request.text, () => ""))
    const basic = /^Basic (.+)$/i.exec(request.headers["authorization"] ?? "")
    let id = form.get("client_id")
    let secret = form.get("client_secret")
    if (basic) {
      const decoded = Buffer.from(basic[1]!, "base64").toString("utf8")
      const colon = decoded.indexOf(":")
      id = decodeURIComponent(decoded.slice(0, colon))
      secret = decodeURIComponent(decoded.slice(colon + 1))
    }
    const grantType = form.get("grant_type")
    if (grantType === null) return oauthError(400, "invalid_request", "grant_type is required")
    if (grantType !== "client_credentials") {
      return oauthError(400, "unsupported_grant_type", `grant_type ${grantType} is not supported`)
    }
    if (id === null || secret === null) return oauthError(400, "invalid_request", "client credentials are required")
    if (id !== options.clientId || secret !== options.clientSecret) {
      return oauthError(401, "invalid_client", "Client authentication failed")
    }
    const now = yield* Clock.currentTimeMillis
    const accessToken = `tok_${crypto.randomUUID()}`
    tokens.set(accessToken, now + lifetime * 1000)
    issued.push(accessToken)
    const scope = form.get("scope")
    return HttpServerResponse.jsonUnsafe({
      access_token: accessToken,
      expires_in: lifetime,
      token_type: "Bearer",
      ...(scope !== null && { scope })
    }, { headers: { "cache-control": "no-store" } })
  })

  /** The client id of the request's bearer token, if it was issued and has not expired. */
  const authorized = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const bearer = /^Bearer (.+)$/i.exec(request.headers["authorization"] ?? "")
    const expiresAt = bearer ? tokens.get(bearer[1]!) : undefined
    const now = yield* Clock.currentTimeMillis
    return expiresAt !== undefined && expiresAt > now ? options.clientId : undefined
  })

  return {
    endpoint,
    authorized,
    issued: () => [...issued],
    revoke: () => tokens.clear(),
    setLifetime: (seconds: number) => void (lifetime = seconds)
  }
}
