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

#endif
