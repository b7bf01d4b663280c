#ifndef HASHI_SERVE_ASSETS_H
#define HASHI_SERVE_ASSETS_H
#include <stddef.h>

/// The files `hashi serve` answers with, embedded byte for byte (assets/): the
/// translators' page (index.html, app.js, style.css) and the OpenAPI document.
/// Returns NULL for a name it does not have.
const unsigned char *hashi_serve_asset(const char *name, size_t *length);

#endif
