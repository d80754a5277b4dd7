/** Packaging cannot run here (it downloads Electron); this keeps its configuration honest. */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const cfg = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, any>;
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

describe('electron-builder.yml', () => {
  it('unpacks sharp and its libvips from the asar', () => {
    expect(cfg.asar).toBe(true);
    expect(cfg.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/sharp/**/*', '**/node_modules/@img/**/*']));
  });
  it('flips the release fuses', () => {
    expect(cfg.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
  it('builds mac dmg+zip per arch and Windows NSIS x64+arm64', () => {
    const mac = Object.fromEntries(cfg.mac.target.map((t: { target: string; arch: string[] }) => [t.target, t.arch]));
    expect(mac).toEqual({ dmg: ['arm64', 'x64'], zip: ['arm64', 'x64'] });
    expect(cfg.win.target).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }]);
    expect(cfg.mac.hardenedRuntime).toBe(true);
  });
  it('ships the built app and the photoshoot packs (the built-in model schema is bundled into main.js)', () => {
    expect(cfg.files).toEqual(expect.arrayContaining(['dist/**', 'dist-electron/**', 'assets/packs/**']));
    expect(pkg.main).toBe('dist-electron/main.js');
    expect(pkg.scripts['dist:mac']).toMatch(/electron-builder --mac/);
    expect(pkg.scripts['dist:win']).toMatch(/electron-builder --win/);
  });
  it('asks macOS for no hardened-runtime exception but JIT', () => {
    expect(cfg.mac.entitlements).toBe(cfg.mac.entitlementsInherit);
    const plist = readFileSync(cfg.mac.entitlements, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    expect([...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])).toEqual(['com.apple.security.cs.allow-jit']);
  });
  it('pins Electron 45.4.1', () => {
    expect(pkg.devDependencies.electron).toBe('45.4.1');
  });
});
