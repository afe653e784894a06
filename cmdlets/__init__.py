"""The cmdlets admins call, one module per noun family. Importing this package registers them all."""
from cmdlets import (clientpin, dates, directory_import, files, format, objects, output,  # noqa: F401
                     new_object, paths, pinpolicy, selection, users)
from cmdlets import content, help, host_io, json, members  # noqa: F401
