#ifndef NAKLADNA_CLIBXML2_SHIM_H
#define NAKLADNA_CLIBXML2_SHIM_H

// Debian's libxml2 headers pull in the system ICU, which clashes with Foundation's own ICU module.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>

#endif
