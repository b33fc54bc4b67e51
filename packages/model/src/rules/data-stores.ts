/**
 * Databases and file systems: a database is reached only through its RDS Proxy (LBP-RDS-PROXY), and
 * a file system is mounted through an access point at a path Lambda accepts (LBP-EFS-ASSETS).
 */
import { LAMBDA_LIMITS } from '../constants.js';
import { fileSystemsOf } from '../model.js';
import type { Rule } from './context.js';

const L = LAMBDA_LIMITS;

/** A database endpoint that is not a proxy's (`<name>.proxy-<id>.<region>.rds.amazonaws.com` is one). */
const DIRECT_ENDPOINT = /(?:^|[/@\s])(?![^/@\s]*\.proxy-)[a-z0-9.-]+\.rds\.amazonaws\.com\b/i;
/** A connection string carrying credentials or a host: `postgres://`, `postgresql://`, `mysql://`, JDBC. */
const CONNECTION_STRING = /^(?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb):\/\//i;

export const databases: Rule = (ctx) => {
  for (const [id, written] of Object.entries(ctx.spec.databases ?? {})) {
    const db = ctx.model.databases[id];
    if (!db) continue;
    const path = ['databases', id];
    if (db.engine === 'postgres') {
      for (const key of ['minCapacity', 'maxCapacity'] as const) {
        if (written[key] === undefined) continue;
        ctx.report({
          rule: 'SPEC-DATABASE', path: [...path, key],
          message: `\`${key}\` of database \`${id}\` sets Aurora Serverless v2 capacity, but its engine is \`postgres\` (an RDS instance, sized by \`instanceClass\`).`,
          fix: `Remove \`${key}\`, or set \`engine: auroraPostgresql\`.`,
        });
      }
    } else if (written.instanceClass !== undefined) {
      ctx.report({
        rule: 'SPEC-DATABASE', path: [...path, 'instanceClass'],
        message: `\`instanceClass\` of database \`${id}\` sizes an RDS instance, but its engine is \`auroraPostgresql\` (Serverless v2, sized by \`minCapacity\` and \`maxCapacity\`).`,
        fix: 'Remove `instanceClass`, or set `engine: postgres`.',
      });
    }
    for (const key of ['minCapacity', 'maxCapacity'] as const) {
      const value = written[key];
      if (value !== undefined && !Number.isInteger(value / L.auroraCapacity.step)) {
        ctx.report({
          rule: 'SPEC-DATABASE', path: [...path, key], target: 'value',
          message: `\`${key}\` of database \`${id}\` is ${value}; Aurora Serverless v2 capacity goes in steps of ${L.auroraCapacity.step} ACU.`,
          fix: `Use a multiple of ${L.auroraCapacity.step}, e.g. ${Math.max(L.auroraCapacity.min, Math.round(value / L.auroraCapacity.step) * L.auroraCapacity.step)}.`,
        });
      }
    }
    if (db.minCapacity !== undefined && db.maxCapacity !== undefined && db.minCapacity > db.maxCapacity) {
      ctx.report({
        rule: 'SPEC-DATABASE', path: [...path, written.minCapacity !== undefined ? 'minCapacity' : 'maxCapacity'], target: 'value',
        message: `Database \`${id}\` has minCapacity ${db.minCapacity} above maxCapacity ${db.maxCapacity}.`,
        fix: 'Make minCapacity at most maxCapacity.',
      });
    }
  }
};

/** LBP-RDS-PROXY: no function is handed a database endpoint or connection string of its own. */
export const databaseEndpoints: Rule = (ctx) => {
  for (const [fnId, fn] of Object.entries(ctx.spec.functions ?? {})) {
    for (const [name, value] of Object.entries(fn.environment ?? {})) {
      if (typeof value !== 'string') continue;
      const direct = DIRECT_ENDPOINT.test(value);
      if (!direct && !CONNECTION_STRING.test(value)) continue;
      const declared = Object.keys(ctx.model.databases);
      ctx.report({
        rule: 'LBP-RDS-PROXY', path: ['functions', fnId, 'environment', name], target: 'value',
        message: `\`${name}\` of \`${fnId}\` ${direct ? 'names a database endpoint directly' : 'is a database connection string'}: each invocation would open its own connection to the database (and a password would sit in the environment), which exhausts its connections under load.`,
        fix: declared.length > 0
          ? `Remove \`${name}\` and add the database to \`permissions.connect\` (e.g. \`connect: [${declared[0]}]\`): the function gets its RDS Proxy endpoint and connects with an IAM token.`
          : `Remove \`${name}\`, declare the database under \`databases:\` and list it in \`permissions.connect\`: the function gets its RDS Proxy endpoint and connects with an IAM token.`,
      });
    }
  }
};

/** LBP-EFS-ASSETS: mount paths Lambda accepts, and one file system per function. */
export const fileSystems: Rule = (ctx) => {
  for (const [id, written] of Object.entries(ctx.spec.fileSystems ?? {})) {
    const mountPath = written.mountPath;
    // The default, /mnt/<id>, always fits: IDs are camelCase.
    if (mountPath !== undefined && !L.mountPath.test(mountPath)) {
      ctx.report({
        rule: 'LBP-EFS-ASSETS', path: ['fileSystems', id, 'mountPath'], target: 'value',
        message: `The mount path of file system \`${id}\` is ${JSON.stringify(mountPath)}; Lambda mounts file systems only at /mnt/<name> (one level, letters, digits, ".", "_", "-").`,
        fix: `Use \`/mnt/${id}\`, or leave \`mountPath\` out (that is the default).`,
      });
    }
  }
  for (const [fnId, fn] of Object.entries(ctx.model.functions)) {
    const mounted = fileSystemsOf(ctx.model, fn);
    if (mounted.length <= L.fileSystemsPerFunction) continue;
    const written = ctx.spec.functions?.[fnId]?.permissions;
    const second = mounted[L.fileSystemsPerFunction] ?? '';
    const kind = written?.read?.includes(second) ? 'read' : 'write';
    ctx.report({
      rule: 'LBP-EFS-ASSETS', path: ['functions', fnId, 'permissions', kind, (written?.[kind] ?? []).indexOf(second)], target: 'value',
      message: `\`${fnId}\` uses the file systems ${mounted.map((m) => `\`${m}\``).join(' and ')}; Lambda mounts one file system per function.`,
      fix: 'Keep the assets of one function on one file system (in directories of it), or split the function.',
    });
  }
};
