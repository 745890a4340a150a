import { builder } from '../builder.js';
import './user.js';

export const schema = builder.toSchema({ sortSchema: false });
