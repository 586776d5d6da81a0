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
})
`;

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function run(fixture: string, files: Record<string, string>): Promise<Report> {
  const cwd = tempProject(files, path.join(SPEC_PROJECTS, fixture));
  folders.push(cwd);
  const result = await runCliAsync(['migrate', '.', '--dry-run', '--json', '--include-tests'], { cwd });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Report;
}

const testSites = (report: Report): [number, string, string][] =>
  report.sites.filter((s) => s.file.startsWith('tests/')).map((s) => [s.line, s.action, s.reason ?? '']);

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
          "from the route name 'api.orders.nowhere', which no single route of the code has",
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

  it('AdonisJS 5: a relative path and Route.makeUrl(name) of a resource linked', async () => {
    const report = await run('spellings-adonis5-routes', {
      'tests/functional/reports.spec.ts': ADONIS5_TEST,
    });
    expect(testSites(report)).toEqual([
      [7, 'would-rewrite', ''],
      [11, 'would-rewrite', ''],
    ]);
  });
});
