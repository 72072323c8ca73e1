{
  # Built at `npm install` (bin/build-native.mjs). libsecp256k1 is the copy the `secp256k1`
  # dependency vendors, compiled with the same definitions its own binding.gyp uses.
  'variables': {
    'secp': '<!(node -p "require(\'path\').dirname(require.resolve(\'secp256k1/package.json\'))")/src/secp256k1',
  },
  'targets': [
    {
      'target_name': 'zkos_recover',
      'sources': ['binding.c', 'recover.c'],
      'include_dirs': ['<(secp)', '<(secp)/src', '<(secp)/include'],
      'cflags': ['-O3', '-Wno-unused-function', '-Wno-nonnull-compare'],
      'defines': [
        'NAPI_VERSION=6',
        'ECMULT_GEN_PREC_BITS=4',
        'ECMULT_WINDOW_SIZE=15',
        'ENABLE_MODULE_RECOVERY=1',
        'USE_ENDOMORPHISM=1',
        'USE_NUM_NONE=1',
        'USE_FIELD_INV_BUILTIN=1',
        'USE_SCALAR_INV_BUILTIN=1',
      ],
      'conditions': [
        ['target_arch=="x64" and OS!="win"', {
          'defines': ['HAVE___INT128=1', 'USE_ASM_X86_64=1', 'USE_FIELD_5X52=1', 'USE_SCALAR_4X64=1'],
        }, {
          'defines': ['USE_FIELD_10X26=1', 'USE_SCALAR_8X32=1'],
        }],
      ],
    },
  ],
}
