#ifndef PIKOU_COPENSSL_SHIM_H
#define PIKOU_COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/cms.h>
#include <time.h>
#include <string.h>

/* Swift cannot call C macros or variadic functions: these wrappers stand in for them. */

static inline long COpenSSL_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

static inline void COpenSSL_free(void *pointer) {
    OPENSSL_free(pointer);
}

/* Generates an SM2 key (curve SM2, usable for SM2 signatures). */
static inline EVP_PKEY *COpenSSL_generate_sm2(void) {
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
    if (ctx == NULL) return NULL;
    if (EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_keygen(ctx, &key) <= 0) key = NULL;
    EVP_PKEY_CTX_free(ctx);
    return key;
}

/* Generates an RSA key of `bits` bits. */
static inline EVP_PKEY *COpenSSL_generate_rsa(int bits) {
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (ctx == NULL) return NULL;
    if (EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) <= 0
        || EVP_PKEY_keygen(ctx, &key) <= 0) key = NULL;
    EVP_PKEY_CTX_free(ctx);
    return key;
}

/* Seconds since the epoch of an ASN1_TIME, or -1. */
static inline long long COpenSSL_ASN1_TIME_to_epoch(const ASN1_TIME *time) {
    struct tm tm;
    if (time == NULL || ASN1_TIME_to_tm(time, &tm) != 1) return -1;
    return (long long)timegm(&tm);
}

/* A name as one readable line, "CN=示例, O=…" (RFC 2253 order reversed to the usual reading order,
   UTF-8 kept as UTF-8 rather than escaped). Writes into `bio`; returns the length or -1. */
static inline int COpenSSL_X509_NAME_print_utf8(BIO *bio, const X509_NAME *name) {
    unsigned long flags = (XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB & ~XN_FLAG_SPC_EQ) | ASN1_STRFLGS_UTF8_CONVERT;
    return X509_NAME_print_ex(bio, name, 0, flags);
}

/* DER of a certificate into a freshly allocated buffer (free with COpenSSL_free); the length or -1. */
static inline int COpenSSL_i2d_X509(X509 *x509, unsigned char **out) {
    *out = NULL;
    return i2d_X509(x509, out);
}

/* DER of a public key (SubjectPublicKeyInfo) into a freshly allocated buffer; the length or -1. */
static inline int COpenSSL_i2d_PUBKEY(EVP_PKEY *key, unsigned char **out) {
    *out = NULL;
    return i2d_PUBKEY(key, out);
}

/* A certificate request (PKCS#10) for `key` under `name`, signed with `md` (SM3 for SM2 keys, with
   the SM2 distinguishing ID `sm2id`, or SHA-256). NULL on failure (errors on OpenSSL's queue). */
static inline X509_REQ *COpenSSL_make_request(EVP_PKEY *key, X509_NAME *name, const EVP_MD *md, const char *sm2id) {
    X509_REQ *request = X509_REQ_new();
    if (request == NULL) return NULL;
    if (X509_REQ_set_version(request, 0) != 1 || X509_REQ_set_subject_name(request, name) != 1
        || X509_REQ_set_pubkey(request, key) != 1) { X509_REQ_free(request); return NULL; }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int ok = ctx != NULL;
    if (ok && sm2id != NULL) {
        ASN1_OCTET_STRING *id = ASN1_OCTET_STRING_new();
        ok = id != NULL && ASN1_OCTET_STRING_set(id, (const unsigned char *)sm2id, (int)strlen(sm2id)) == 1;
        if (ok) X509_REQ_set0_distinguishing_id(request, id); else ASN1_OCTET_STRING_free(id);
        pctx = EVP_PKEY_CTX_new(key, NULL);
        ok = ok && pctx != NULL && EVP_PKEY_CTX_set1_id(pctx, sm2id, strlen(sm2id)) > 0;
        if (ok) EVP_MD_CTX_set_pkey_ctx(ctx, pctx);
    }
    ok = ok && EVP_DigestSignInit(ctx, NULL, md, NULL, key) == 1 && X509_REQ_sign_ctx(request, ctx) > 0;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_CTX_free(pctx);
    if (!ok) { X509_REQ_free(request); return NULL; }
    return request;
}

/* A detached CMS SignedData (DER, a .p7s) over `data` by `cert` and `key`: binary content, no signed
   attributes (so the same bytes sign the same way), the signer's certificate inside. 1 on success
   (*out from OPENSSL_malloc: free with COpenSSL_free), 0 on failure (errors on OpenSSL's queue). */
static inline int COpenSSL_cms_sign_detached(X509 *cert, EVP_PKEY *key, const unsigned char *data, size_t length,
                                             unsigned char **out, size_t *outLength) {
    *out = NULL;
    if (length > 0x7fffffff) return 0;
    BIO *in = BIO_new_mem_buf(data, (int)length);
    if (in == NULL) return 0;
    CMS_ContentInfo *cms = CMS_sign(cert, key, NULL, in, CMS_DETACHED | CMS_BINARY | CMS_NOATTR | CMS_NOSMIMECAP);
    BIO_free(in);
    if (cms == NULL) return 0;
    int n = i2d_CMS_ContentInfo(cms, out);
    CMS_ContentInfo_free(cms);
    if (n <= 0) return 0;
    *outLength = (size_t)n;
    return 1;
}

/* Whether `p7s` is a detached CMS signature over `data` by `cert`: 1 yes, 0 no, -1 when `p7s` is not a
   CMS structure at all (or has bytes after it). Only `cert` is considered as the signer: certificates
   the CMS carries are ignored (CMS_NOINTERN) and no chain is built (the workspace trusts the bank's
   certificate itself, as for every other signature). */
static inline int COpenSSL_cms_verify_detached(X509 *cert, const unsigned char *p7s, size_t p7sLength,
                                               const unsigned char *data, size_t length) {
    if (p7sLength > 0x7fffffff || length > 0x7fffffff) return -1;
    const unsigned char *cursor = p7s;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &cursor, (long)p7sLength);
    if (cms == NULL) return -1;
    if (cursor != p7s + p7sLength) { CMS_ContentInfo_free(cms); return -1; }
    STACK_OF(X509) *certs = sk_X509_new_null();
    BIO *content = BIO_new_mem_buf(data, (int)length);
    int ok = 0;
    if (certs != NULL && content != NULL && sk_X509_push(certs, cert) > 0) {
        ok = CMS_verify(cms, certs, NULL, content, NULL, CMS_BINARY | CMS_NOINTERN | CMS_NO_SIGNER_CERT_VERIFY) == 1;
    }
    BIO_free(content);
    sk_X509_free(certs);
    CMS_ContentInfo_free(cms);
    return ok ? 1 : 0;
}

#endif
