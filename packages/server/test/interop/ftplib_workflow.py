"""Drives @ftpkit/server with Python's stock ftplib; prints one JSON object with what it saw.

Usage: ftplib_workflow.py HOST PORT USER PASSWORD MODE WORKDIR
MODE: plain | tls (FTP_TLS + prot_p; stock ftplib does NOT resume TLS sessions on data connections)
"""
import ftplib
import hashlib
import io
import json
import os
import ssl
import sys

host, port, user, password, mode, workdir = sys.argv[1:7]
port = int(port)
out = {}


def sha(data):
    return hashlib.sha256(data).hexdigest()


payload = os.urandom(300_000) + b"line one\nline two\n"
out["uploaded_sha256"] = sha(payload)

if mode == "tls":
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ftp = ftplib.FTP_TLS(context=ctx, timeout=20)
else:
    ftp = ftplib.FTP(timeout=20)
ftp.connect(host, port)
ftp.login(user, password)
if mode == "tls":
    ftp.prot_p()
try:
    ftp.mkd("py dir")
    ftp.cwd("py dir")
    out["pwd"] = ftp.pwd()
    ftp.storbinary("STOR upload.bin", io.BytesIO(payload))
    got = io.BytesIO()
    ftp.retrbinary("RETR upload.bin", got.write)
    out["downloaded_sha256"] = sha(got.getvalue())
    out["size"] = ftp.size("upload.bin")
    ftp.rename("upload.bin", "renamed.bin")
    out["nlst"] = sorted(ftp.nlst())
    lines = []
    ftp.retrlines("LIST", lines.append)
    out["list"] = lines
    out["mlsd"] = sorted(name for name, facts in ftp.mlsd())
    ftp.delete("renamed.bin")
    ftp.cwd("/")
    ftp.rmd("py dir")
    out["final_nlst"] = sorted(ftp.nlst())
except ftplib.all_errors as e:
    out["error"] = str(e)
    # A data-connection failure leaves the transfer's final reply unread on the control
    # connection: read it, as an application would after the exception.
    if not isinstance(e, ftplib.Error):
        try:
            out["late_reply"] = ftp.getresp()
        except ftplib.all_errors as late:
            out["late_reply"] = str(late)
try:
    ftp.quit()
except Exception:
    ftp.close()
print(json.dumps(out))
