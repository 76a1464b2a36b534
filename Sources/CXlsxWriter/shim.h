#ifndef PIKOU_CXLSXWRITER_SHIM_H
#define PIKOU_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
