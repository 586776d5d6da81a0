import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliAsync, tempProject } from '../helpers/cli.js';
import { SPEC_PROJECTS } from '../helpers/spec-run.js';

// Session 52: Japa's api-client and AdonisJS 4's vow join a path without its leading `/` to their base URL
// (`client.post('users')` requests `/users`), and a test may build its URL from a route's name
// (`client.get(route('users.show', { id }))`, `Route.makeUrl(...)`, the name from `.as(...)` or a resource).
// Before, such an assertion was "a 403 in a shape mtls-fix does not know"; it now follows its route's server,
// and a name no single route has is manual saying so.
interface Report {
  sites: { file: string; line: number; action: string; reason: string | null }[];
}

const ADONIS6_ROUTES = `import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const PartnersController = () => import('#controllers/partners_controller')
const OrdersController = () => import('#controllers/orders_controller')

router
  .group(() => {
    router
      .group(() => {
        router.get('partners/:id', [PartnersController, 'show']).use(middleware.partner()).as('partners.show')
        router.resource('orders', OrdersController).apiOnly()
        router.post('payments', '#controllers/payments_controller.store').as('payments.store')
      })
      .prefix('v1')
  })
  .prefix('/api')
  .as('api')
`;

const ADONIS6_TEST = `import { test } from '@japa/runner'

test.group('Orders', () => {
  test('relative store', async ({ client }) => {
    const response = await client.post('api/v1/orders').json({}).loginAs(user)
    response.assertStatus(403)
  })
  test('relative update', async ({ client: api }) => {
    const response = await api.put(\`api/v1/orders/\${order.id}\`).form({ a: 1 })
    response.assertStatus(403)
  })
  test('relative unknown', async ({ client }) => {
    const response = await client.put('api/v1/nowhere')
    response.assertStatus(403)
  })
  test('named store', async ({ client, route }) => {
    const response = await client.post(route('api.orders.store')).loginAs(user)
    response.assertStatus(403)
  })
  test('named update', async ({ client, route }) => {
    const response = await client.put(route('api.orders.update', { id: 1 }))
    response.assertStatus(403)
  })
  test('named unknown', async ({ client, route }) => {
    const response = await client.put(route('api.orders.nowhere'))
    response.assertStatus(403)
  })
  test('name not read', async ({ client, route }) => {
    const response = await client.put(route(routeName))
    response.assertStatus(403)
  })
  test('own client', async () => {
    const client = makeClient()
    const response = await client.post('api/v1/orders')
    response.assertStatus(403)
  })
})
`;

const ADONIS5_TEST = `import { test } from '@japa/runner'
import Route from '@ioc:Adonis/Core/Route'

test.group('Reports', () => {
  test('admins only', async ({ client }) => {
    const response = await client.get('admin/reports')
    response.assertStatus(403)
  })
  test('fields are read-only', async ({ client }) => {
    const response = await client.patch(Route.makeUrl('venues.fields.update', { venue: 1, id: 2 })).json({})
    response.assertStatus(403)
  })
  test('by handler', async ({ client, route }) => {
    const response = await client.get(route('ReportsController.index'))
    response.assertStatus(403)
  })
  test('by pattern', async ({ client, route }) => {
    const response = await client.get(route('/admin/reports', [], { qs: { page: 1 } }))
    response.assertStatus(403)
  })
})
`;

// AdonisJS 4 (CommonJS, vow's `client` from `trait('Test/ApiClient')`), a project written for this test.
const ADONIS4: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'a4', dependencies: { '@adonisjs/framework': '^5.0.9' } }),
  'start/routes.js': `'use strict'
const Route = use('Route')

Route.group(() => {
  Route.get('users', 'UserController.index').as('users.index')
  Route.get('users/:id', 'UserController.show').as('users.show')
}).prefix('api')
`,
  'app/Controllers/Http/UserController.js': `'use strict'

class UserController {
  async index ({ response }) {
    return response.status(403).send({ error: 'read_users' })
  }

  async show ({ response }) {
    return response.json({ ok: true })
  }
}

module.exports = UserController
`,
  'test/functional/users.spec.js': `'use strict'

const { test, trait } = use('Test/Suite')('Users')
const Route = use('Route')

trait('Test/ApiClient')

test('list without permission', async ({ client }) => {
  const response = await client.get('api/users').loginVia(user).end()
  response.assertStatus(403)
})

test('list by name without permission', async ({ client }) => {
  const response = await client.get(Route.url('users.index')).end()
  response.assertStatus(403)
})
`,
};

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function run(fixture: string | undefined, files: Record<string, string>): Promise<Report> {
  const cwd = tempProject(files, fixture && path.join(SPEC_PROJECTS, fixture));
  folders.push(cwd);
  const result = await runCliAsync(['migrate', '.', '--dry-run', '--json', '--include-tests'], { cwd });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Report;
}

const testSites = (report: Report): [number, string, string][] =>
  report.sites.filter((s) => /^tests?\//.test(s.file)).map((s) => [s.line, s.action, s.reason ?? '']);

describe('Japa client paths without a leading slash and named routes follow their server', () => {
  it('AdonisJS 6: relative paths and route() names linked; an unknown path or name manual saying which', async () => {
    const report = await run('spellings-adonis6-routes', {
      'start/routes.ts': ADONIS6_ROUTES,
      'tests/functional/orders.spec.ts': ADONIS6_TEST,
    });
    // Lines 18 and 22: two POST and one PUT route reach a 403, so only the name's path links them (an unread
    // URL is linked by its method only when one route of that method does). Line 35's client is no test
    // context's: its relative path is not joined, as before.
    expect(testSites(report)).toEqual([
      [6, 'would-rewrite', ''],
      [10, 'would-rewrite', ''],
      [14, 'manual', expect.stringContaining('PUT /api/v1/nowhere whose server could not be found')],
      [18, 'would-rewrite', ''],
      [22, 'would-rewrite', ''],
      [
        26,
        'manual',
        expect.stringContaining(
          "from the route identifier 'api.orders.nowhere', which no single route of the code answers to",
        ),
      ],
      [
        30,
        'manual',
        expect.stringContaining('`route(routeName)` builds it from a route name mtls-fix does not read'),
      ],
      [35, 'manual', expect.stringContaining('a shape mtls-fix does not know')],
    ]);
  });

  it('AdonisJS 5: a relative path, Route.makeUrl(name) of a resource, route(handler) and route(pattern) linked', async () => {
    const report = await run('spellings-adonis5-routes', {
      'tests/functional/reports.spec.ts': ADONIS5_TEST,
    });
    expect(testSites(report)).toEqual([
      [7, 'would-rewrite', ''],
      [11, 'would-rewrite', ''],
      [15, 'would-rewrite', ''],
      [19, 'would-rewrite', ''],
    ]);
  });

  it("AdonisJS 4 (vow, CommonJS): a relative path and Route.url(name) linked to the route's rewritten 403", async () => {
    const report = await run(undefined, ADONIS4);
    expect(report.sites.map((s) => [s.file, s.line, s.action])).toEqual([
      ['app/Controllers/Http/UserController.js', 5, 'would-rewrite'],
      ['test/functional/users.spec.js', 10, 'would-rewrite'],
      ['test/functional/users.spec.js', 15, 'would-rewrite'],
    ]);
  });
});
