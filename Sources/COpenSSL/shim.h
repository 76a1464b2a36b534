#ifndef PIKOU_COPENSSL_SHIM_H
#define PIKOU_COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/asn1.h>
#include <openssl/crypto.h>
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

#endif
