// The back-transliteration model (dictionaries/transliteration/model.bin, built by
// scripts/train-transliteration.py), embedded byte for byte with C23 #embed so that
// a copied `hashi` binary carries it. Aligned to 8 bytes: the model's sections are
// 8-byte aligned offsets into this array and are read in place.
#include "hashi_data.h"

static const unsigned char model[] __attribute__((aligned(8))) = {
#embed "../../dictionaries/transliteration/model.bin"
};

const unsigned char *hashi_translit_model(size_t *length) {
    *length = sizeof model;
    return model;
}
