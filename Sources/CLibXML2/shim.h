#ifndef PIKOU_CLIBXML2_SHIM_H
#define PIKOU_CLIBXML2_SHIM_H

#include <string.h>
#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, so its encoding.h would include ICU's headers, whose types
   clash with the copy of ICU inside Swift's Foundation in any module that sees both ("UErrorCode has
   different definitions in different modules"). Pikou never touches libxml2's ICU converters (it
   passes pointers to encoding handlers only), so their declarations are left out. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlsave.h>
#include <libxml/c14n.h>

/* libxml2's generic error callback is variadic, which Swift cannot write: a silent one here. */
static void pikou_xml_silent(void *context, const char *message, ...) { (void)context; (void)message; }

/* Silences libxml2's generic messages for threads created from now on and for this one. */
static inline void pikou_xml_silence_generic_errors(void) {
    xmlThrDefSetGenericErrorFunc(NULL, pikou_xml_silent);
    xmlSetGenericErrorFunc(NULL, pikou_xml_silent);
}

/* Silences libxml2's generic messages on the calling thread. */
static inline void pikou_xml_silence_thread(void) { xmlSetGenericErrorFunc(NULL, pikou_xml_silent); }

/* Which nodes a canonicalization renders: the subtree of `include` (the whole document when NULL),
   minus the subtree of `exclude` (none when NULL). The enveloped-signature transform is
   `exclude = the Signature element`; SignedInfo's canonical form is `include = SignedInfo`. */
typedef struct {
    xmlNodePtr include;
    xmlNodePtr exclude;
} pikou_c14n_filter;

static inline int pikou_c14n_visible(void *user_data, xmlNodePtr node, xmlNodePtr parent) {
    const pikou_c14n_filter *filter = (const pikou_c14n_filter *)user_data;
    /* An xmlNs has its `type` at the same offset as an xmlNode (libxml2 relies on this too). */
    xmlNodePtr element = (node->type == XML_NAMESPACE_DECL || node->type == XML_ATTRIBUTE_NODE) ? parent : node;
    int included = filter->include == NULL;
    for (xmlNodePtr cursor = element; cursor != NULL; cursor = cursor->parent) {
        if (cursor == filter->exclude) return 0;
        if (cursor == filter->include) included = 1;
        if (cursor->type == XML_DOCUMENT_NODE) break;
    }
    return included;
}

/* Exclusive C14N 1.0 without comments of the filtered nodes of `doc`; the caller frees `*out`
   with xmlFree. Returns the length, or -1 on failure. */
static inline int pikou_c14n(xmlDocPtr doc, xmlNodePtr include, xmlNodePtr exclude, xmlChar **out) {
    pikou_c14n_filter filter = { include, exclude };
    xmlOutputBufferPtr buffer = xmlAllocOutputBuffer(NULL);
    if (buffer == NULL) return -1;
    int rc = xmlC14NExecute(doc, pikou_c14n_visible, &filter, XML_C14N_EXCLUSIVE_1_0, NULL, 0, buffer);
    if (rc < 0) { xmlOutputBufferClose(buffer); return -1; }
    int size = (int)xmlOutputBufferGetSize(buffer);
    *out = (xmlChar *)xmlMalloc((size_t)size + 1);
    if (*out == NULL) { xmlOutputBufferClose(buffer); return -1; }
    memcpy(*out, xmlOutputBufferGetContent(buffer), (size_t)size);
    (*out)[size] = 0;
    xmlOutputBufferClose(buffer);
    return size;
}

/* libxml2's xmlFree is a global function pointer, which Swift cannot call directly. */
static inline void pikou_xml_free(void *pointer) { xmlFree(pointer); }

#endif
