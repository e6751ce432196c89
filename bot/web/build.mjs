// Builds static/vendor/ from node_modules (run `npm ci` first): the ACS web Calling SDK served
// unmodified, ESM shims for the two MIT packages it imports, their licence texts, and
// vendor.json, which bot/web/vendor.py reads to give each file a content-addressed URL.
//
// Why this shape (shared/reference/JOIN.md §1.1, §1.6): the SDK's licence forbids modifying its
// notices and esbuild would strip its `//` header, so the SDK file is copied byte for byte and
// the browser resolves its two bare imports through an import map to the shims built here.
// Nothing here is committed: the SDK may be installed from npm, not redistributed from git.
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, "static", "vendor");
const SDK = "@azure/communication-calling";
const HEADER = "// Copyright (c) Microsoft Corporation. All rights reserved.";
const SHIM_LICENSES = "azure-shims.LICENSES.txt";

// Each bare specifier the page's import map resolves, and the file that answers it. The
// common shim leaves @azure/logger to the import map, so the SDK and the credential share one
// AzureLogger (one log level, one sink) instead of each carrying a private copy.
const SHIMS = [
  { specifier: "@azure/logger", file: "azure-logger.js", external: [] },
  {
    specifier: "@azure/communication-common",
    file: "azure-communication-common.js",
    external: ["@azure/logger"],
  },
];

function fail(message) {
  console.error(`build.mjs: ${message}`);
  process.exit(1);
}

async function readJson(path) {
  return JSON.parse(await readFile(path, "utf8"));
}

function packageDir(name) {
  return join(HERE, "node_modules", ...name.split("/"));
}

// package.json pins exact versions; a stale node_modules (an old `npm install`, a branch
// switch) must not slip another SDK into the build unnoticed.
async function installedVersions() {
  const manifest = await readJson(join(HERE, "package.json"));
  const versions = {};
  for (const [name, pinned] of Object.entries(manifest.dependencies)) {
    let installed;
    try {
      installed = (await readJson(join(packageDir(name), "package.json"))).version;
    } catch {
      fail(`${name} is not installed: run \`npm ci\` in bot/web first`);
    }
    if (installed !== pinned) {
      fail(`${name} ${installed} is installed but package.json pins ${pinned}: run \`npm ci\``);
    }
    versions[name] = installed;
  }
  return versions;
}

// The names the SDK bundle imports from each bare specifier, read from its own import
// statements (`import{AzureLogger as t,…}from"@azure/logger"`).
function sdkImports(source) {
  const imports = new Map();
  for (const [, names, from] of source.matchAll(/import\{([^}]*)\}from"([^"]+)"/g)) {
    const wanted = imports.get(from) ?? new Set();
    for (const name of names.split(",")) wanted.add(name.trim().split(/\s+as\s+/)[0]);
    imports.set(from, wanted);
  }
  return imports;
}

// Every npm package an esbuild output took code from, with its licence, for the notices file.
async function bundledPackages(metafile) {
  const found = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (!match || found.has(match[1])) continue;
    const dir = packageDir(match[1]);
    const manifest = await readJson(join(dir, "package.json"));
    found.set(match[1], { name: manifest.name, version: manifest.version, dir, license: manifest.license });
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

async function licenceText(dir) {
  for (const name of ["LICENSE", "LICENSE.txt", "LICENSE.md"]) {
    try {
      return await readFile(join(dir, name), "utf8");
    } catch {
      // try the next spelling
    }
  }
  return fail(`no licence file in ${dir}: it cannot be bundled without its notice`);
}

async function buildShim({ specifier, file, external }) {
  const result = await esbuild.build({
    stdin: { contents: `export * from ${JSON.stringify(specifier)};`, resolveDir: HERE },
    absWorkingDir: HERE,
    bundle: true,
    format: "esm",
    platform: "browser",
    minify: true,
    legalComments: "inline",
    external,
    metafile: true,
    write: false,
    logLevel: "warning",
  });
  const [output] = result.outputFiles;
  const exports = Object.values(result.metafile.outputs)[0].exports;
  const packages = await bundledPackages(result.metafile);
  // The MIT and 0BSD terms ask that the notice travel with the code; minifying drops the
  // sources' `//` headers, so a kept `/*!` banner names what is inside and where the texts are.
  const list = packages.map((p) => `${p.name}@${p.version} (${p.license})`).join(", ");
  const banner = `/*! ${specifier} for the browser, bundled with esbuild. Contains ${list}. Copyright (c) Microsoft Corporation and others. Licence texts: ${SHIM_LICENSES} */\n`;
  await writeFile(join(OUT, file), banner + output.text);
  return { specifier, file, exports: new Set(exports), packages };
}

function checkShimsCoverSdk(sdkSource, shims) {
  const bySpecifier = new Map(shims.map((s) => [s.specifier, s]));
  for (const [from, names] of sdkImports(sdkSource)) {
    const shim = bySpecifier.get(from);
    if (!shim) fail(`${SDK} imports "${from}", which no shim provides: add it to SHIMS`);
    const missing = [...names].filter((name) => !shim.exports.has(name));
    if (missing.length) fail(`${shim.file} does not export ${missing.join(", ")} (${SDK} needs them)`);
  }
}

async function writeShimLicences(shims) {
  const seen = new Map();
  for (const shim of shims) for (const p of shim.packages) seen.set(p.name, p);
  const sections = [];
  for (const p of [...seen.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    sections.push(`${p.name}@${p.version} (${p.license})\n\n${(await licenceText(p.dir)).trim()}\n`);
  }
  const intro = `Third-party code in ${shims.map((s) => s.file).join(" and ")}.\n`;
  await writeFile(join(OUT, SHIM_LICENSES), [intro, ...sections].join(`\n${"-".repeat(72)}\n\n`));
  return [...seen.values()];
}

async function fileEntry(name) {
  const bytes = await readFile(join(OUT, name));
  const sha256 = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
  return { name, sha256, size: bytes.length };
}

async function main() {
  const versions = await installedVersions();
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });

  const sdkDir = packageDir(SDK);
  const sdkSource = await readFile(join(sdkDir, "dist-esm", "sdk.bundle.js"), "utf8");
  if (!sdkSource.startsWith(HEADER)) fail(`${SDK}'s bundle no longer starts with its licence header`);
  await copyFile(join(sdkDir, "dist-esm", "sdk.bundle.js"), join(OUT, "communication-calling.js"));
  await copyFile(join(sdkDir, "LICENSE"), join(OUT, "LICENSE"));
  await copyFile(join(sdkDir, "NOTICES.txt"), join(OUT, "NOTICES.txt"));

  const shims = [];
  for (const shim of SHIMS) shims.push(await buildShim(shim));
  checkShimsCoverSdk(sdkSource, shims);
  const bundled = await writeShimLicences(shims);

  const imports = { [SDK]: "communication-calling.js" };
  for (const shim of shims) imports[shim.specifier] = shim.file;
  const names = ["communication-calling.js", ...shims.map((s) => s.file)];
  names.push("LICENSE", "NOTICES.txt", SHIM_LICENSES);
  const manifest = {
    versions,
    bundled: Object.fromEntries(bundled.map((p) => [p.name, p.version])),
    imports,
    files: await Promise.all(names.map(fileEntry)),
  };
  await writeFile(join(OUT, "vendor.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  // Gzipped beside each script, once, here: the SDK is 7.4 MB raw and 1.8 MB gzipped, and the
  // server sends the .gz as is to browsers that accept gzip (no compression per request).
  for (const name of names.filter((n) => n.endsWith(".js"))) {
    const raw = await readFile(join(OUT, name));
    await writeFile(join(OUT, `${name}.gz`), gzipSync(raw, { level: 9 }));
  }
  for (const f of manifest.files) console.log(`${f.name.padEnd(34)} ${f.sha256} ${f.size} B`);
}

await main();
