from zoom_mcp.cli import main

raise SystemExit(main())
