// A rules set with every routing feature: literals beside {param}, nested routes, {proxy+}, ANY
// beside an explicit method, a route-level deny and a top-level deny.
export const TEST_RULES = {
  routes: [
    { route: 'GET /', allow: ['authenticated'] },
    { route: 'GET /pets', allow: ['group:readers', 'group:admins', 'scope:pets/read'] },
    { route: 'POST /pets', allow: ['group:admins', 'scope:pets/write'] },
    { route: 'GET /pets/export', allow: ['group:exporters', 'group:admins'] },
    { route: 'GET /pets/{petId}', allow: ['group:readers', 'group:admins', 'scope:pets/read'] },
    { route: 'DELETE /pets/{petId}', allow: ['group:admins'] },
    { route: 'GET /pets/{petId}/owner', allow: ['group:admins', 'group:owners'], deny: ['group:interns'] },
    { route: 'GET /me', allow: ['authenticated'] },
    { route: 'ANY /admin/{proxy+}', allow: ['group:admins'] },
    { route: 'DELETE /admin/{proxy+}', allow: ['group:superadmins'] },
    { route: 'GET /files/{proxy+}', allow: ['group:readers', 'group:admins'] },
  ],
  deny: ['group:suspended'],
} as const;

/** Callers worth telling apart. */
export const CALLERS = {
  admin: { groups: ['admins'] },
  reader: { groups: ['readers'] },
  scopeClient: { scopes: ['pets/read'] },
  writerClient: { scopes: ['pets/read', 'pets/write'] },
  noGroups: {},
  suspendedAdmin: { groups: ['admins', 'suspended'] },
  superadmin: { groups: ['superadmins'] },
  exporter: { groups: ['exporters'] },
  ownerIntern: { groups: ['owners', 'interns'] },
  oddNames: { groups: ['team, with comma', 'admins ', 'Admins', '"quoted"'] },
} as const;

export type CallerName = keyof typeof CALLERS;
