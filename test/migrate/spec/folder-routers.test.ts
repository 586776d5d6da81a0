import { describe, expect, it } from 'vitest';
import { runSpecProject } from '../../helpers/spec-run.js';

// Session 35 (spacebarchat/server, 1 of 348 operations before): lambert-server mounts one router per file of a
// folder at the path the file's name spells (`#guild_id` a parameter, `index` the folder itself). No --mount.

describe('migrate --spec: router files lambert-server mounts by their names', () => {
  it('reads traverseDirectory + registerRoute through a project helper, and this.registerRoutes(dir)', async () => {
    const { report } = await runSpecProject('spellings-folder-routers-lambert');
    // 17dd109d: 0 of 5 mTLS operations handled; each file's routes "router is not mounted anywhere in the
    // scanned code (src/routes/guilds/#guild_id/bans.ts:3)", their five 403s manual.
    expect(
      report.coverage.handled.map(
        (h) => `${h.operation} <- ${h.routes.map((r) => `${r.path} ${r.file}`).join(', ')}`,
      ),
    ).toEqual([
      'GET /api/guilds/{guild_id}/bans <- /api/guilds/:guild_id/bans src/routes/guilds/#guild_id/bans.ts',
      'PUT /api/guilds/{guild_id}/bans/{user_id} <- /api/guilds/:guild_id/bans/:user_id src/routes/guilds/#guild_id/bans.ts',
      'GET /api/guilds/{guild_id} <- /api/guilds/:guild_id src/routes/guilds/#guild_id/index.ts',
      'GET /api/users/@me <- /api/users/@me src/routes/users/@me/index.ts',
      'GET /avatars/{user_id} <- /avatars/:user_id src/cdn/avatars.ts',
    ]);
    // Each call of the helper mounts its own folder on its own router: toplevel/ on the app, not under /api.
    expect(report.coverage.unmatchedRoutes).toEqual([]);
    expect(report.coverage.unresolved).toEqual([]);
    expect(report.coverage.noHandler).toEqual([]);
  });
});
