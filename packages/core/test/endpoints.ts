// The README's endpoint table, derived from the declarations: every endpoint and the call that reaches it.
import { Resource, Scope } from "@timeback/core"

const item = (r: Resource.Any) => `/${r.name}/{sourcedId}`

const scopedCall = (route: Scope.Route, verb: string) => {
  const [first, ...rest] = route.parents
  const opened = [
    `gradebook.${first}(${Scope.SINGULAR[first!]}Id)`,
    ...rest.map((p) => `.${p}(${Scope.SINGULAR[p]}Id)`)
  ]
  return `\`${opened.join("")}.${route.resource.name}.${verb}\``
}

export const endpointTable = (): string => {
  const rows: Array<[string, string]> = []
  for (const r of Scope.resources as ReadonlyArray<Resource.Any>) {
    const call = (verb: string) => `\`gradebook.${r.name}.${verb}\``
    rows.push([`POST /${r.name}`, call("create(input)")])
    rows.push([`PUT ${item(r)}`, call("put(sourcedId, input)")])
    rows.push([`GET ${item(r)}`, call("get(sourcedId, { fields? })")])
    rows.push([`GET /${r.name}`, `${call("list(query)")}, ${call("stream(query)")}`])
    rows.push([`DELETE ${item(r)}`, call("delete(sourcedId)")])
    if (r.Patch) rows.push([`PATCH ${item(r)}`, call("patch(sourcedId, patch)")])
  }
  for (const route of Scope.routes) {
    if (route.reads) {
      rows.push([
        `GET ${Scope.template(route)}`,
        `${scopedCall(route, "list(query)")}, ${scopedCall(route, "stream(query)")}`
      ])
    }
    if (route.creates) rows.push([`POST ${Scope.template(route)}`, scopedCall(route, "createMany(items)")])
  }
  return ["| endpoint | call |", "|---|---|", ...rows.map(([e, c]) => `| \`${e}\` | ${c} |`)].join("\n")
}
