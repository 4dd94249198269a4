/** The device line of a GPU rung: short for tables, the browser's full words kept for the notes. */
import { describe, it, expect } from 'vitest';
import { adapterText, describeAdapter, isSoftwareDevice } from '../../../src-main/shared/gpu-page.js';

const webgl = (description: string, vendor = 'WebKit', software = false) => ({ vendor, architecture: '', description, software });

describe('GPU device lines', () => {
  it('names a software adapter in two words and says it is software', () => {
    const swift = { vendor: 'google', architecture: 'swiftshader', description: '', software: true };
    expect(describeAdapter('webgpu', swift)).toBe('WebGPU · SwiftShader (software)');
    const gl = webgl('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)', 'Google Inc. (Google)', true);
    expect(describeAdapter('webgl', gl)).toBe('WebGL · SwiftShader (software)');
    expect(isSoftwareDevice(describeAdapter('webgl', gl))).toBe(true);
    // The full words stay available for the run's notes.
    expect(adapterText('webgl', gl)).toBe('WebGL2: vendor Google Inc. (Google); renderer ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver) — a software adapter (on the CPU, not a GPU)');
  });

  it("trims ANGLE's wrapping to the GPU's name", () => {
    expect(describeAdapter('webgl', webgl('ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0, D3D11)'))).toBe('WebGL · NVIDIA GeForce RTX 3080');
    expect(describeAdapter('webgl', webgl('ANGLE (Apple, ANGLE Metal Renderer: Apple M1, Unspecified Version)'))).toBe('WebGL · Apple M1');
    expect(describeAdapter('webgl', webgl('ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)'))).toBe('WebGL · Mesa Intel UHD Graphics 620 (KBL GT2)');
    expect(describeAdapter('webgl', webgl('ANGLE (AMD, AMD Radeon RX 6800 XT (0x000073BF) Direct3D11 vs_5_0 ps_5_0, D3D11)'))).toBe('WebGL · AMD Radeon RX 6800 XT');
    expect(describeAdapter('webgpu', { vendor: 'nvidia', architecture: 'ampere', description: '', software: false })).toBe('WebGPU · nvidia ampere');
    expect(isSoftwareDevice('WebGPU · nvidia ampere')).toBe(false);
  });
});
