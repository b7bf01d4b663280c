// The files of `hashi serve`, embedded with C23 #embed so that the binary works
// offline and alone: edit them in assets/, the build picks them up.
#include <string.h>
#include "hashi_serve_assets.h"

static const unsigned char index_html[] = {
#embed "assets/index.html"
};
static const unsigned char app_js[] = {
#embed "assets/app.js"
};
static const unsigned char style_css[] = {
#embed "assets/style.css"
};
static const unsigned char openapi_yaml[] = {
#embed "assets/openapi.yaml"
};

const unsigned char *hashi_serve_asset(const char *name, size_t *length) {
    if (strcmp(name, "index.html") == 0) { *length = sizeof index_html; return index_html; }
    if (strcmp(name, "app.js") == 0) { *length = sizeof app_js; return app_js; }
    if (strcmp(name, "style.css") == 0) { *length = sizeof style_css; return style_css; }
    if (strcmp(name, "openapi.yaml") == 0) { *length = sizeof openapi_yaml; return openapi_yaml; }
    *length = 0;
    return NULL;
}
