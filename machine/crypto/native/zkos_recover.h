#ifndef ZKOS_RECOVER_H
#define ZKOS_RECOVER_H
#include <stddef.h>
int zkos_recover_init(void);
int zkos_recover_batch(size_t n, const unsigned char *sigs, const unsigned char *recids, const unsigned char *msgs, unsigned char *out, unsigned char *ok);
#endif
