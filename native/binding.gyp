# The native training engine: Node-API in C, so one build loads in Node and in Electron.
# The kernels are compiled once per instruction set, each file with its own flags; cpu.c picks
# the best one the machine runs when a net is created, so a build runs on any CPU of its arch.
{
  'target_defaults': {
    'cflags': ['-std=gnu11', '-O3', '-fno-math-errno', '-Wall', '-Wextra', '-Wno-unused-parameter'],
    'cflags!': ['-O2'],
    'xcode_settings': { 'OTHER_CFLAGS': ['-std=gnu11', '-O3', '-fno-math-errno'] },
    'msvs_settings': { 'VCCLCompilerTool': { 'Optimization': 2, 'FloatingPointModel': 0 } },
  },
  'targets': [
    {
      'target_name': 'layerlab_native',
      'sources': ['src/addon.c', 'src/net.c', 'src/activations.c', 'src/cpu.c', 'src/kernels_base.c'],
      'conditions': [
        ['target_arch=="x64"', { 'dependencies': ['kernels_avx2', 'kernels_avx512'] }],
      ],
    },
  ],
  'conditions': [
    ['target_arch=="x64"', {
      'targets': [
        {
          'target_name': 'kernels_avx2',
          'type': 'static_library',
          'sources': ['src/kernels_avx2.c'],
          'cflags': ['-fPIC', '-mavx2', '-mfma'],
          'xcode_settings': { 'OTHER_CFLAGS': ['-mavx2', '-mfma'] },
          'msvs_settings': { 'VCCLCompilerTool': { 'AdditionalOptions': ['/arch:AVX2'] } },
        },
        {
          'target_name': 'kernels_avx512',
          'type': 'static_library',
          'sources': ['src/kernels_avx512.c'],
          'cflags': ['-fPIC', '-mavx512f', '-mavx2', '-mfma'],
          'xcode_settings': { 'OTHER_CFLAGS': ['-mavx512f', '-mavx2', '-mfma'] },
          'msvs_settings': { 'VCCLCompilerTool': { 'AdditionalOptions': ['/arch:AVX512'] } },
        },
      ],
    }],
  ],
}
