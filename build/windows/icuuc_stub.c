/* A stand-in for Windows 10's system icuuc.dll, for Wine only; never shipped.
 *
 * Qt6Core (PySide6 6.10 and newer) imports these ucnv_* functions from the system
 * icuuc.dll that Windows 10 and 11 carry and Wine 8 does not, so under Wine QtCore
 * fails to load. Every function here fails (ucnv_open returns no converter with an
 * error code), which makes Qt fall back to its built-in codecs. build/windows/ci.sh
 * compiles it with x86_64-w64-mingw32-gcc into the Wine prefix's system32, where
 * PyInstaller never collects from.
 */
#include <stddef.h>
#include <stdint.h>

#define EXPORT __declspec(dllexport)
#define U_UNSUPPORTED_ERROR 16

typedef int32_t UErrorCode;

static void fail(UErrorCode *err) {
    if (err != NULL && *err <= 0) *err = U_UNSUPPORTED_ERROR;
}

static void no_callback(void **action, const void **context) {
    if (action != NULL) *action = NULL;
    if (context != NULL) *context = NULL;
}

EXPORT void *ucnv_open(const char *name, UErrorCode *err) { (void)name; fail(err); return NULL; }
EXPORT void ucnv_close(void *cnv) { (void)cnv; }
EXPORT void ucnv_reset(void *cnv) { (void)cnv; }
EXPORT int8_t ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 1; }
EXPORT const char *ucnv_getName(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return NULL; }
EXPORT void ucnv_getToUCallBack(const void *cnv, void **action, const void **context) {
    (void)cnv; no_callback(action, context);
}
EXPORT void ucnv_setToUCallBack(void *cnv, void *action, const void *context, void **old_action,
                                const void **old_context, UErrorCode *err) {
    (void)cnv; (void)action; (void)context;
    no_callback(old_action, old_context); fail(err);
}
EXPORT void ucnv_getFromUCallBack(const void *cnv, void **action, const void **context) {
    (void)cnv; no_callback(action, context);
}
EXPORT void ucnv_setFromUCallBack(void *cnv, void *action, const void *context, void **old_action,
                                  const void **old_context, UErrorCode *err) {
    (void)cnv; (void)action; (void)context;
    no_callback(old_action, old_context); fail(err);
}
EXPORT void ucnv_cbToUWriteUChars(void *args, const uint16_t *source, int32_t length,
                                  int32_t offset, UErrorCode *err) {
    (void)args; (void)source; (void)length; (void)offset; fail(err);
}
EXPORT void ucnv_cbFromUWriteUChars(void *args, const uint16_t **source, const uint16_t *limit,
                                    int32_t offset, UErrorCode *err) {
    (void)args; (void)source; (void)limit; (void)offset; fail(err);
}
EXPORT void ucnv_toUnicode(void *cnv, uint16_t **target, const uint16_t *target_limit,
                           const char **source, const char *source_limit, int32_t *offsets,
                           int8_t flush, UErrorCode *err) {
    (void)cnv; (void)target; (void)target_limit; (void)source; (void)source_limit;
    (void)offsets; (void)flush; fail(err);
}
EXPORT void ucnv_fromUnicode(void *cnv, char **target, const char *target_limit,
                             const uint16_t **source, const uint16_t *source_limit,
                             int32_t *offsets, int8_t flush, UErrorCode *err) {
    (void)cnv; (void)target; (void)target_limit; (void)source; (void)source_limit;
    (void)offsets; (void)flush; fail(err);
}
EXPORT int32_t ucnv_toUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return 0; }
EXPORT int32_t ucnv_fromUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return 0; }
EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *err) {
    (void)name; (void)standard; fail(err); return NULL;
}
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
/* ICU's stock callbacks: Qt only passes them back to ucnv_set*CallBack. */
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *context, void *args, const uint16_t *code_units,
                                            int32_t length, int32_t code_point, int reason,
                                            UErrorCode *err) {
    (void)context; (void)args; (void)code_units; (void)length; (void)code_point; (void)reason;
    fail(err);
}
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *context, void *args, const char *code_units,
                                          int32_t length, int reason, UErrorCode *err) {
    (void)context; (void)args; (void)code_units; (void)length; (void)reason; fail(err);
}
