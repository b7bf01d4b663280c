// The compiled lexicon (dictionaries/lexicon.bin, written by `hashi dict compile`
// from dictionaries/*.tsv and dictionaries/segmentation/), embedded byte for byte
// with C23 #embed. Aligned to 8 bytes: its sections are 8-byte aligned offsets into
// this array and are read in place (HashiKit's LexiconImage checks every offset).
#include "hashi_data.h"

static const unsigned char image[] __attribute__((aligned(8))) = {
#embed "../../dictionaries/lexicon.bin"
};

const unsigned char *hashi_lexicon_image(size_t *length) {
    *length = sizeof image;
    return image;
}
