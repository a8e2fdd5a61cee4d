/*
 * token.h - "orgactl token create --email E [--name N]": a personal API
 * token for an upload client of that account, printed once.
 */
#ifndef CTL_TOKEN_H
#define CTL_TOKEN_H

#include <stdio.h>

#include "client.h"

int ctl_token_main(const ctl_ctx *ctx, int argc, char *argv[]);
void ctl_token_usage(FILE *f);

#endif
