/**
 * The built-in verbs, one module each (STYLE habit 4; libunftp's layout). Aliases (XCWD, XCUP,
 * XMKD, XPWD, XRMD) need no entry: the codec parses them as their RFC 959 verb.
 */
import { ABOR } from './abor.js';
import { ACCT } from './acct.js';
import { ALLO } from './allo.js';
import { APPE } from './appe.js';
import { AUTH } from './auth.js';
import { CDUP } from './cdup.js';
import { CLNT } from './clnt.js';
import { CWD } from './cwd.js';
import { DELE } from './dele.js';
import { EPRT } from './eprt.js';
import { EPSV } from './epsv.js';
import { FEAT } from './feat.js';
import { HASH } from './hash.js';
import { HELP } from './help.js';
import { HOST } from './host.js';
import { LANG } from './lang.js';
import { LIST } from './list.js';
import { MDTM } from './mdtm.js';
import { MFMT } from './mfmt.js';
import { MKD } from './mkd.js';
import { MLSD } from './mlsd.js';
import { MLST } from './mlst.js';
import { MODE } from './mode.js';
import { NLST } from './nlst.js';
import { NOOP } from './noop.js';
import { OPTS } from './opts.js';
import { PASS } from './pass.js';
import { PASV } from './pasv.js';
import { PBSZ } from './pbsz.js';
import { PORT } from './port.js';
import { PROT } from './prot.js';
import { PWD } from './pwd.js';
import { QUIT } from './quit.js';
import { REIN } from './rein.js';
import { REST } from './rest.js';
import { RETR } from './retr.js';
import { RMD } from './rmd.js';
import { RNFR } from './rnfr.js';
import { RNTO } from './rnto.js';
import { ADAT, CCC, CONF, ENC, MIC } from './security.js';
import { SITE, SITE_HELP } from './site.js';
import { SIZE } from './size.js';
import { SMNT } from './smnt.js';
import { STAT } from './stat.js';
import { STOR } from './stor.js';
import { STOU } from './stou.js';
import { STRU } from './stru.js';
import { SYST } from './syst.js';
import { TYPE } from './type.js';
import type { CommandDefinition, SiteCommandDefinition } from './types.js';
import { AVBL, MFCT, MFF } from './unsupported.js';
import { USER } from './user.js';

/** Every built-in verb, in the order FEAT lists their features. */
export const BUILTIN_COMMANDS: readonly CommandDefinition[] = Object.freeze([
  USER,
  PASS,
  ACCT,
  CWD,
  CDUP,
  SMNT,
  REIN,
  QUIT,
  PORT,
  PASV,
  TYPE,
  STRU,
  MODE,
  RETR,
  STOR,
  STOU,
  APPE,
  ALLO,
  REST,
  RNFR,
  RNTO,
  ABOR,
  DELE,
  RMD,
  MKD,
  PWD,
  LIST,
  NLST,
  SITE,
  SYST,
  STAT,
  HELP,
  NOOP,
  AUTH,
  PBSZ,
  PROT,
  CCC,
  ADAT,
  MIC,
  CONF,
  ENC,
  FEAT,
  OPTS,
  EPRT,
  EPSV,
  LANG,
  SIZE,
  MDTM,
  MLST,
  MLSD,
  HOST,
  MFMT,
  HASH,
  CLNT,
  MFCT,
  MFF,
  AVBL,
]);

export const BUILTIN_SITE_COMMANDS: readonly SiteCommandDefinition[] = Object.freeze([SITE_HELP]);
