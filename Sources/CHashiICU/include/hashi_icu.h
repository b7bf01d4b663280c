// hashi_icu.h: Hashi's own C façade over the system ICU (ICU4C 72).
//
// This header deliberately includes no <unicode/*.h> header and exposes only
// Hashi's opaque handle types and plain C types. Foundation on Linux ships its
// own ICU module (_FoundationICU); importing the system ICU headers into Swift
// next to it makes the two definitions of UErrorCode, UProperty, ... clash.
// ICU's versioned renaming macros (ubrk_open -> ubrk_open_72) are also
// invisible to Swift. Both problems stay inside hashi_icu.c.
//
// Conventions: text is UTF-16 (`uint16_t`), lengths are in UTF-16 units, and
// every call that can fail takes `int32_t *status`, an ICU UErrorCode value
// (<= 0 means success or a warning, > 0 an error). `hashi_icu_error_name`
// turns it into ICU's name for it ("U_ILLEGAL_ARGUMENT_ERROR").
#ifndef HASHI_ICU_H
#define HASHI_ICU_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// ICU's name for an error code, e.g. "U_BUFFER_OVERFLOW_ERROR". Never NULL.
const char *hashi_icu_error_name(int32_t status);

/// The ICU version string, e.g. "72.1".
void hashi_icu_version(char *out, int32_t capacity);

// MARK: - Break iteration

typedef struct hashi_breaker hashi_breaker;

typedef enum {
    HASHI_BREAK_CHARACTER = 0,
    HASHI_BREAK_WORD = 1,
    HASHI_BREAK_LINE = 2,
    HASHI_BREAK_SENTENCE = 3
} hashi_break_kind;

hashi_breaker *hashi_breaker_open(hashi_break_kind kind, const char *locale, int32_t *status);
/// A new iterator sharing the rules of `source` (much cheaper than opening).
hashi_breaker *hashi_breaker_clone(const hashi_breaker *source, int32_t *status);
void hashi_breaker_close(hashi_breaker *breaker);

/// Runs the iterator over `text[0..<length]` and writes every boundary after 0
/// (the last one is `length`) to `boundaries`, and the rule status of the
/// segment ending there to `rule_status` (may be NULL). Returns the number of
/// boundaries, or -1 with *status = U_BUFFER_OVERFLOW_ERROR when `capacity` is
/// too small (`capacity >= length` always suffices). The text is not retained.
int32_t hashi_breaker_boundaries(hashi_breaker *breaker,
                                 const uint16_t *text, int32_t length,
                                 int32_t *boundaries, int32_t *rule_status,
                                 int32_t capacity, int32_t *status);

// MARK: - Normalization (NFKC)

/// Writes NFKC(src) to dest. Returns the full length of the result; when it
/// exceeds `capacity`, *status is U_BUFFER_OVERFLOW_ERROR and nothing useful
/// is written (call again with a larger buffer).
int32_t hashi_nfkc(const uint16_t *src, int32_t length,
                   uint16_t *dest, int32_t capacity, int32_t *status);

/// 1 when NFKC can never change `c` nor combine it with neighbours.
int32_t hashi_nfkc_is_inert(int32_t c);
/// 1 when NFKC has a boundary before `c` (text can be normalized piecewise there).
int32_t hashi_nfkc_has_boundary_before(int32_t c);
/// Length of the prefix of src that is already NFKC (quick check "yes").
int32_t hashi_nfkc_span_normalized(const uint16_t *src, int32_t length, int32_t *status);

// MARK: - Transliteration

typedef struct hashi_translit hashi_translit;

/// Opens a transliterator by ICU id ("Katakana-Latin", "Hiragana-Katakana",
/// "Fullwidth-Halfwidth", compound ids such as "Katakana-Latin; Latin-ASCII").
hashi_translit *hashi_translit_open(const char *id, int32_t *status);
void hashi_translit_close(hashi_translit *translit);
/// Transliterates src into dest. Returns the result length; when it exceeds
/// `capacity`, *status is U_BUFFER_OVERFLOW_ERROR (call again with more room).
int32_t hashi_translit_apply(const hashi_translit *translit,
                             const uint16_t *src, int32_t length,
                             uint16_t *dest, int32_t capacity, int32_t *status);

// MARK: - Charset detection and conversion

/// Guesses the charset of `bytes`. Writes the ICU charset name (e.g.
/// "Shift_JIS", "EUC-JP", "ISO-2022-JP", "UTF-8") to `name` and returns the
/// confidence 0...100, or -1 with *status set when nothing matched.
int32_t hashi_charset_detect(const char *bytes, int32_t length,
                             char *name, int32_t name_capacity, int32_t *status);

/// Converts `bytes` in `charset` to UTF-16 with a converter that stops at the
/// first invalid or unmappable byte sequence: then *status is an error and
/// *error_offset holds the byte offset of the bad sequence. Returns the result
/// length (U_BUFFER_OVERFLOW_ERROR when it exceeds `capacity`).
int32_t hashi_convert_to_utf16(const char *charset,
                               const char *bytes, int32_t length,
                               uint16_t *dest, int32_t capacity,
                               int64_t *error_offset, int32_t *status);

/// 1 when ICU knows a converter named `charset`.
int32_t hashi_charset_exists(const char *charset);

// MARK: - Collation

typedef struct hashi_collator hashi_collator;

hashi_collator *hashi_collator_open(const char *locale, int32_t *status);
void hashi_collator_close(hashi_collator *collator);
/// -1, 0 or 1 like strcmp. The collator is safe to use from several threads.
int32_t hashi_collator_compare(const hashi_collator *collator,
                               const uint16_t *a, int32_t a_length,
                               const uint16_t *b, int32_t b_length);
/// Writes a binary sort key; returns its full length (may exceed capacity).
int32_t hashi_collator_sort_key(const hashi_collator *collator,
                                const uint16_t *text, int32_t length,
                                uint8_t *key, int32_t capacity);

#ifdef __cplusplus
}
#endif

#endif
