// hashi_icu.c: the only file in Hashi that includes ICU headers.
#include "hashi_icu.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/ucnv.h>
#include <unicode/ucol.h>
#include <unicode/ucsdet.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>
#include <unicode/utypes.h>

const char *hashi_icu_error_name(int32_t status) {
    return u_errorName((UErrorCode)status);
}

void hashi_icu_version(char *out, int32_t capacity) {
    UVersionInfo info;
    char buffer[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(info);
    u_versionToString(info, buffer);
    if (capacity > 0) {
        strncpy(out, buffer, (size_t)capacity - 1);
        out[capacity - 1] = 0;
    }
}

// MARK: - Break iteration

struct hashi_breaker {
    UBreakIterator *iterator;
};

static hashi_breaker *wrap_breaker(UBreakIterator *iterator) {
    hashi_breaker *breaker = malloc(sizeof *breaker);
    if (breaker == NULL) {
        ubrk_close(iterator);
        return NULL;
    }
    breaker->iterator = iterator;
    return breaker;
}

hashi_breaker *hashi_breaker_open(hashi_break_kind kind, const char *locale, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    UBreakIteratorType type;
    switch (kind) {
    case HASHI_BREAK_CHARACTER: type = UBRK_CHARACTER; break;
    case HASHI_BREAK_WORD: type = UBRK_WORD; break;
    case HASHI_BREAK_LINE: type = UBRK_LINE; break;
    case HASHI_BREAK_SENTENCE: type = UBRK_SENTENCE; break;
    default: *status = U_ILLEGAL_ARGUMENT_ERROR; return NULL;
    }
    UBreakIterator *iterator = ubrk_open(type, locale, NULL, 0, &code);
    *status = code;
    if (U_FAILURE(code)) return NULL;
    hashi_breaker *breaker = wrap_breaker(iterator);
    if (breaker == NULL) *status = U_MEMORY_ALLOCATION_ERROR;
    return breaker;
}

hashi_breaker *hashi_breaker_clone(const hashi_breaker *source, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    UBreakIterator *iterator = ubrk_clone(source->iterator, &code);
    *status = code;
    if (U_FAILURE(code)) return NULL;
    hashi_breaker *breaker = wrap_breaker(iterator);
    if (breaker == NULL) *status = U_MEMORY_ALLOCATION_ERROR;
    return breaker;
}

void hashi_breaker_close(hashi_breaker *breaker) {
    if (breaker == NULL) return;
    ubrk_close(breaker->iterator);
    free(breaker);
}

int32_t hashi_breaker_boundaries(hashi_breaker *breaker,
                                 const uint16_t *text, int32_t length,
                                 int32_t *boundaries, int32_t *rule_status,
                                 int32_t capacity, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    static const UChar empty[1] = {0};
    ubrk_setText(breaker->iterator, length > 0 ? (const UChar *)text : empty, length, &code);
    if (U_FAILURE(code)) {
        *status = code;
        return -1;
    }
    int32_t count = 0;
    ubrk_first(breaker->iterator);
    for (int32_t next = ubrk_next(breaker->iterator); next != UBRK_DONE;
         next = ubrk_next(breaker->iterator)) {
        if (count >= capacity) {
            *status = U_BUFFER_OVERFLOW_ERROR;
            ubrk_setText(breaker->iterator, empty, 0, &code);
            return -1;
        }
        boundaries[count] = next;
        if (rule_status != NULL) rule_status[count] = ubrk_getRuleStatus(breaker->iterator);
        count++;
    }
    // Do not keep a pointer to the caller's buffer.
    ubrk_setText(breaker->iterator, empty, 0, &code);
    *status = U_ZERO_ERROR;
    return count;
}

// MARK: - Normalization

static const UNormalizer2 *nfkc(UErrorCode *code) {
    return unorm2_getNFKCInstance(code);
}

int32_t hashi_nfkc(const uint16_t *src, int32_t length,
                   uint16_t *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    const UNormalizer2 *normalizer = nfkc(&code);
    if (U_FAILURE(code)) { *status = code; return 0; }
    int32_t result = unorm2_normalize(normalizer, (const UChar *)src, length,
                                      (UChar *)dest, capacity, &code);
    *status = code;
    return result;
}

int32_t hashi_nfkc_is_inert(int32_t c) {
    UErrorCode code = U_ZERO_ERROR;
    const UNormalizer2 *normalizer = nfkc(&code);
    if (U_FAILURE(code)) return 0;
    return unorm2_isInert(normalizer, (UChar32)c) ? 1 : 0;
}

int32_t hashi_nfkc_has_boundary_before(int32_t c) {
    UErrorCode code = U_ZERO_ERROR;
    const UNormalizer2 *normalizer = nfkc(&code);
    if (U_FAILURE(code)) return 1;
    return unorm2_hasBoundaryBefore(normalizer, (UChar32)c) ? 1 : 0;
}

int32_t hashi_nfkc_span_normalized(const uint16_t *src, int32_t length, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    const UNormalizer2 *normalizer = nfkc(&code);
    if (U_FAILURE(code)) { *status = code; return 0; }
    int32_t span = unorm2_spanQuickCheckYes(normalizer, (const UChar *)src, length, &code);
    *status = code;
    return span;
}

// MARK: - Transliteration

struct hashi_translit {
    UTransliterator *transliterator;
};

hashi_translit *hashi_translit_open(const char *id, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    // utrans_openU takes a UTF-16 id; ids are ASCII.
    UChar wide[256];
    int32_t n = 0;
    for (; id[n] != 0; n++) {
        if (n >= 255) { *status = U_ILLEGAL_ARGUMENT_ERROR; return NULL; }
        wide[n] = (UChar)(unsigned char)id[n];
    }
    UParseError parse_error;
    UTransliterator *transliterator = utrans_openU(wide, n, UTRANS_FORWARD, NULL, 0, &parse_error, &code);
    *status = code;
    if (U_FAILURE(code)) return NULL;
    hashi_translit *result = malloc(sizeof *result);
    if (result == NULL) {
        utrans_close(transliterator);
        *status = U_MEMORY_ALLOCATION_ERROR;
        return NULL;
    }
    result->transliterator = transliterator;
    return result;
}

void hashi_translit_close(hashi_translit *translit) {
    if (translit == NULL) return;
    utrans_close(translit->transliterator);
    free(translit);
}

int32_t hashi_translit_apply(const hashi_translit *translit,
                             const uint16_t *src, int32_t length,
                             uint16_t *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    if (capacity < length) {
        *status = U_BUFFER_OVERFLOW_ERROR;
        return length * 4 + 16;
    }
    memcpy(dest, src, (size_t)length * sizeof(uint16_t));
    int32_t text_length = length;
    int32_t limit = length;
    utrans_transUChars(translit->transliterator, (UChar *)dest, &text_length, capacity,
                       0, &limit, &code);
    *status = code;
    return text_length;
}

// MARK: - Charset detection and conversion

int32_t hashi_charset_detect(const char *bytes, int32_t length,
                             char *name, int32_t name_capacity, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    UCharsetDetector *detector = ucsdet_open(&code);
    if (U_FAILURE(code)) { *status = code; return -1; }
    ucsdet_setText(detector, bytes, length, &code);
    const UCharsetMatch *match = ucsdet_detect(detector, &code);
    if (U_FAILURE(code) || match == NULL) {
        *status = U_FAILURE(code) ? code : U_INVALID_CHAR_FOUND;
        ucsdet_close(detector);
        return -1;
    }
    const char *found = ucsdet_getName(match, &code);
    int32_t confidence = ucsdet_getConfidence(match, &code);
    if (U_FAILURE(code) || found == NULL) {
        *status = U_FAILURE(code) ? code : U_INVALID_CHAR_FOUND;
        ucsdet_close(detector);
        return -1;
    }
    if (name_capacity > 0) {
        strncpy(name, found, (size_t)name_capacity - 1);
        name[name_capacity - 1] = 0;
    }
    ucsdet_close(detector);
    *status = U_ZERO_ERROR;
    return confidence;
}

int32_t hashi_charset_exists(const char *charset) {
    UErrorCode code = U_ZERO_ERROR;
    UConverter *converter = ucnv_open(charset, &code);
    if (U_FAILURE(code)) return 0;
    ucnv_close(converter);
    return 1;
}

int32_t hashi_convert_to_utf16(const char *charset,
                               const char *bytes, int32_t length,
                               uint16_t *dest, int32_t capacity,
                               int64_t *error_offset, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    *error_offset = -1;
    UConverter *converter = ucnv_open(charset, &code);
    if (U_FAILURE(code)) { *status = code; return 0; }
    // Stop at the first invalid or unmappable sequence instead of substituting.
    ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &code);
    if (U_FAILURE(code)) { *status = code; ucnv_close(converter); return 0; }

    UChar *target = (UChar *)dest;
    const UChar *target_limit = (const UChar *)dest + capacity;
    const char *source = bytes;
    const char *source_limit = bytes + length;
    int32_t *offsets = NULL;
    ucnv_toUnicode(converter, &target, target_limit, &source, source_limit, offsets, 1, &code);
    int32_t written = (int32_t)(target - (UChar *)dest);
    if (code == U_BUFFER_OVERFLOW_ERROR) {
        // Ask for a larger buffer: the caller retries with capacity >= 2 * length + 16.
        *status = code;
        ucnv_close(converter);
        return length * 2 + 16;
    }
    if (U_FAILURE(code)) {
        // `source` stops just past the bad sequence; the converter still holds it.
        char invalid[32];
        int8_t invalid_length = (int8_t)sizeof invalid;
        UErrorCode ignored = U_ZERO_ERROR;
        ucnv_getInvalidChars(converter, invalid, &invalid_length, &ignored);
        if (U_FAILURE(ignored)) invalid_length = 0;
        *error_offset = (int64_t)((source - bytes) - invalid_length);
    }
    *status = code;
    ucnv_close(converter);
    return written;
}

// MARK: - Collation

struct hashi_collator {
    UCollator *collator;
};

hashi_collator *hashi_collator_open(const char *locale, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    UCollator *collator = ucol_open(locale, &code);
    *status = code;
    if (U_FAILURE(code)) return NULL;
    hashi_collator *result = malloc(sizeof *result);
    if (result == NULL) {
        ucol_close(collator);
        *status = U_MEMORY_ALLOCATION_ERROR;
        return NULL;
    }
    result->collator = collator;
    return result;
}

void hashi_collator_close(hashi_collator *collator) {
    if (collator == NULL) return;
    ucol_close(collator->collator);
    free(collator);
}

int32_t hashi_collator_compare(const hashi_collator *collator,
                               const uint16_t *a, int32_t a_length,
                               const uint16_t *b, int32_t b_length) {
    switch (ucol_strcoll(collator->collator, (const UChar *)a, a_length, (const UChar *)b, b_length)) {
    case UCOL_LESS: return -1;
    case UCOL_GREATER: return 1;
    default: return 0;
    }
}

int32_t hashi_collator_sort_key(const hashi_collator *collator,
                                const uint16_t *text, int32_t length,
                                uint8_t *key, int32_t capacity) {
    return ucol_getSortKey(collator->collator, (const UChar *)text, length, key, capacity);
}
