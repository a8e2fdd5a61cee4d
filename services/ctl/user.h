/*
 * user.h - "orgactl user show --email E" (an account's schools, ways to
 * log in, block and last login; never a hash) and "orgactl user unblock
 * --email E" (lifts the block of too many failed logins).
 */
#ifndef CTL_USER_H
#define CTL_USER_H

#include <stdio.h>

#include "client.h"

int ctl_user_main(const ctl_ctx *ctx, int argc, char *argv[]);
void ctl_user_usage(FILE *f);

#endif
