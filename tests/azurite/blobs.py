#!/usr/bin/env python3
"""Upload captures to Azurite and print SAS URLs for the tests, as JSON on stdout.

Uses Microsoft's own SDK (PyPI azure-storage-blob) to sign, so the SAS tokens ca-cli is tested
with are built independently of ca-cli. The account and key are Azurite's published
development credentials (devstoreaccount1), not secrets.

    blobs.py --endpoint http://127.0.0.1:PORT/devstoreaccount1 [--ca CA.pem] \
             --container captures NAME=PATH ...
"""
import argparse
import datetime
import json
import sys

from azure.storage.blob import BlobSasPermissions, BlobServiceClient, generate_blob_sas

ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


def sas(container, blob, expiry, permission=None):
    return generate_blob_sas(
        ACCOUNT, container, blob, account_key=KEY,
        permission=permission or BlobSasPermissions(read=True), expiry=expiry,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--container", required=True)
    parser.add_argument("--ca")
    parser.add_argument("blobs", nargs="*", help="NAME=PATH")
    args = parser.parse_args()
    client = BlobServiceClient(
        account_url=args.endpoint, credential={"account_name": ACCOUNT, "account_key": KEY},
        api_version="2025-11-05", connection_verify=args.ca or True,
    )
    container = client.get_container_client(args.container)
    if not container.exists():
        container.create_container()
    now = datetime.datetime.now(datetime.timezone.utc)
    hour = now + datetime.timedelta(hours=1)
    out = {"blobs": {}}
    for spec in args.blobs:
        name, path = spec.split("=", 1)
        with open(path, "rb") as data:
            container.upload_blob(name, data, overwrite=True)
        base = f"{args.endpoint}/{args.container}/{name}"
        good = sas(args.container, name, hour)
        sig = dict(p.split("=", 1) for p in good.split("&"))["sig"]
        tampered = good.replace(sig, ("A" if sig[0] != "A" else "B") + sig[1:])
        out["blobs"][name] = {
            "url": f"{base}?{good}",
            "sig": sig,
            "expired": f"{base}?{sas(args.container, name, now - datetime.timedelta(hours=1))}",
            "tampered": f"{base}?{tampered}",
            "write_only": f"{base}?{sas(args.container, name, hour, BlobSasPermissions(write=True))}",
        }
    missing = "no-such-blob.cap"
    out["missing_blob"] = f"{args.endpoint}/{args.container}/{missing}?{sas(args.container, missing, hour)}"
    out["missing_container"] = (
        f"{args.endpoint}/no-such-container/x.cap?{sas('no-such-container', 'x.cap', hour)}"
    )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
