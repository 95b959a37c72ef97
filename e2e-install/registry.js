// @ts-check
// A read-only npm registry for the packed tarballs of dist-packages/, so that the adopter app
// installs them with the READMEs' own `yarn add <name>` (the packages are not published).
// Serves the packument of each package and its tarball; everything else is 404, and yarn asks
// the usual registry for every other scope. Prints its URL once it listens.
//
//   node e2e-install/registry.js <dist-packages dir> [port file]
'use strict';

const { createHash } = require('node:crypto');
const { readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { join } = require('node:path');
const { gunzipSync } = require('node:zlib');

const [dir, portFile] = process.argv.slice(2);
if (!dir) {
  console.error('usage: registry.js <dist-packages dir> [port file]');
  process.exit(2);
}

/**
 * The package.json inside an npm tarball (a gzipped tar whose files sit under package/).
 * @param {Buffer} tarball
 */
function manifestOf(tarball) {
  const tar = gunzipSync(tarball);
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const name = tar
      .toString('utf8', offset, offset + 100)
      .replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(
      tar.toString('utf8', offset + 124, offset + 136).trim() || '0',
      8,
    );
    if (name === 'package/package.json') {
      return JSON.parse(
        tar.toString('utf8', offset + 512, offset + 512 + size),
      );
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('no package/package.json in the tarball');
}

/** name -> { manifest, file, bytes } */
const packages = new Map();
for (const file of readdirSync(dir).filter(f => f.endsWith('.tgz'))) {
  const bytes = readFileSync(join(dir, file));
  const manifest = manifestOf(bytes);
  packages.set(manifest.name, { manifest, file, bytes });
}
if (packages.size === 0) {
  console.error(`no tarballs in ${dir}: run scripts/pack.sh first`);
  process.exit(1);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://registry');
  const path = decodeURIComponent(url.pathname).replace(/^\//, '');
  const tarball = [...packages.values()].find(p => path === `-/${p.file}`);
  if (tarball) {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(tarball.bytes);
    return;
  }
  const pkg = packages.get(path);
  if (!pkg) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ error: `${path} is not one of the packed packages` }),
    );
    return;
  }
  const { manifest, file, bytes } = pkg;
  const base = `http://${req.headers.host}`;
  const version = {
    ...manifest,
    _id: `${manifest.name}@${manifest.version}`,
    dist: {
      tarball: `${base}/-/${encodeURIComponent(file)}`,
      shasum: createHash('sha1').update(bytes).digest('hex'),
      integrity: `sha512-${createHash('sha512')
        .update(bytes)
        .digest('base64')}`,
    },
  };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      name: manifest.name,
      'dist-tags': { latest: manifest.version },
      versions: { [manifest.version]: version },
    }),
  );
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  if (portFile) writeFileSync(portFile, String(port));
  console.log(
    `registry of ${packages.size} packed packages on http://127.0.0.1:${port}`,
  );
});
