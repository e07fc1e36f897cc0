from zoom_mcp.app.cli import main

raise SystemExit(main())
