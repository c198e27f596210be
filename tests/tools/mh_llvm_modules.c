/* mh_llvm_modules.c - preloaded by tests/warm_test.sh: prints "MODULE name"
 * on stderr for every LLVM module llvmpipe creates (one per shader variant
 * it JIT-compiles: fsN_variantK, draw_llvm_vs_variantK, setup_variant_K),
 * then calls LLVM's own function. The engine's -v log on the same stream
 * says which start-up phase each fell in. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

typedef void *(*module_create_fn)(const char *name, void *context);

void *LLVMModuleCreateWithNameInContext(const char *name, void *context);

void *LLVMModuleCreateWithNameInContext(const char *name, void *context)
{
    static module_create_fn real;
    if (!real)
        real = (module_create_fn)dlsym(RTLD_NEXT, "LLVMModuleCreateWithNameInContext");
    fprintf(stderr, "MODULE %s\n", name ? name : "");
    return real ? real(name, context) : NULL;
}
